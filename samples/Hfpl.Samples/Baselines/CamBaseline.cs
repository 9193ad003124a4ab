using Hfpl.Samples.Backbones;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Hfpl.Samples.Baselines;

/// <summary>
/// The CAM baseline (Zhou et al., CVPR 2016, as used in WSSS): backbone, dropout, a 1x1 classifier without bias
/// giving CAM logits, GAP and a multi-label loss. CAM++ adds <see cref="HfplAddOn"/>: the classification loss becomes
/// <c>0.8 L_GAP + 0.2 L_IS</c> and <c>1.0 L_FS</c> is added. Nothing else differs.
/// </summary>
public sealed class CamBaseline : WsssBaseline
{
    readonly Dropout2d dropout;
    readonly Conv2d classifier;

    /// <summary>Creates the baseline.</summary>
    /// <param name="backbone">Feature extractor.</param>
    /// <param name="classes">K, foreground classes.</param>
    /// <param name="addOn">The add-on for CAM++, or null for CAM.</param>
    public CamBaseline(Backbone backbone, int classes, HfplAddOn? addOn = null) : base(nameof(CamBaseline), backbone, classes, addOn)
    {
        dropout = Dropout2d(0.5);
        classifier = Conv2d(backbone.FeatureChannels, classes, 1, bias: false);
        init.xavier_uniform_(classifier.weight!);
        RegisterComponents();
    }

    /// <summary>CAM logits <c>(B, K, h, w)</c>.</summary>
    public Tensor Logits(Tensor images)
    {
        using var scope = NewDisposeScope();
        return classifier.call(dropout.call(Backbone.call(images))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override LossTerms TrainingLosses(Tensor images, Tensor labels, Tensor? valid = null)
    {
        using var scope = NewDisposeScope();
        var logits = Logits(images);
        var pooled = GlobalAveragePool(logits);
        var terms = new LossTerms();
        if (AddOn is null)
        {
            terms.Add("cls", functional.binary_cross_entropy_with_logits(pooled, labels).MoveToOuterDisposeScope());
        }
        else
        {
            var (classification, featureSimilarity) = AddOn.forward(images, logits, pooled, labels, valid);
            terms.Add("cls+is", classification.MoveToOuterDisposeScope());
            terms.Add("fsl", featureSimilarity.MoveToOuterDisposeScope());
        }
        return terms;
    }

    /// <inheritdoc />
    public override Tensor InferenceCams(Tensor images) => Logits(images);
}
