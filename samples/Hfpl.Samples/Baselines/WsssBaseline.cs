using Hfpl.Samples.Backbones;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Hfpl.Samples.Baselines;

/// <summary>
/// The machinery every WSSS baseline shares: a backbone, K foreground classes, an optional Hfpl add-on ("++"),
/// learning-rate groups, and multi-scale inference (in <see cref="Inference.CamInference"/>). A baseline is a short
/// subclass: its own layers, its training losses, and the CAMs it reads at inference.
/// </summary>
public abstract class WsssBaseline : nn.Module
{
    /// <summary>Creates the shared parts.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="backbone">Feature extractor; owned by the baseline.</param>
    /// <param name="classes">K, foreground classes (every class of data with no background class).</param>
    /// <param name="addOn">The Hfpl add-on for the "++" variant, or null for the plain baseline.</param>
    protected WsssBaseline(string name, Backbone backbone, int classes, HfplAddOn? addOn) : base(name)
    {
        Backbone = backbone;
        Classes = classes;
        AddOn = addOn;
    }

    /// <summary>The feature extractor.</summary>
    public Backbone Backbone { get; }

    /// <summary>K, foreground classes.</summary>
    public int Classes { get; }

    /// <summary>The "++" add-on, or null.</summary>
    public HfplAddOn? AddOn { get; }

    /// <summary>The named loss terms of one training step.</summary>
    /// <param name="images">RGB images in [0, 1] <c>(B, 3, H, W)</c>.</param>
    /// <param name="labels">Image labels <c>(B, K)</c>.</param>
    /// <param name="valid">1 on image pixels, 0 on padding <c>(B, 1, H, W)</c>, or null when there is none.</param>
    public abstract LossTerms TrainingLosses(Tensor images, Tensor labels, Tensor? valid = null);

    /// <summary>Class scores for inference <c>(B, K, h', w')</c> (CAM grid or input size), before ReLU and normalisation.</summary>
    /// <param name="images">RGB images in [0, 1] <c>(B, 3, H, W)</c>.</param>
    public abstract Tensor InferenceCams(Tensor images);

    /// <summary>Parameters of layers that start from scratch (trained at a higher rate).</summary>
    public IEnumerable<Parameter> NewParameters()
    {
        var pretrained = Backbone.PretrainedParameters().Select(p => p.Handle).ToHashSet();
        return parameters().Where(p => p.requires_grad && !pretrained.Contains(p.Handle));
    }

    /// <summary>Pretrained parameters that are trained (base rate).</summary>
    public IEnumerable<Parameter> PretrainedParameters() => Backbone.PretrainedParameters().Where(p => p.requires_grad);

    /// <summary>Global average pooling of CAM logits <c>(B, K, h, w)</c> to <c>(B, K)</c>.</summary>
    protected static Tensor GlobalAveragePool(Tensor logits) => logits.mean([2, 3]);
}
