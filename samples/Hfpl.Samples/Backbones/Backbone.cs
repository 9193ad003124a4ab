using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Hfpl.Samples.Backbones;

/// <summary>
/// What a WSSS baseline needs from a feature extractor: RGB images in [0, 1] <c>(B, 3, H, W)</c> in, a feature map
/// <c>(B, FeatureChannels, H / OutputStride, W / OutputStride)</c> out, plus two middle maps for methods that read them
/// (SEAM's pixel correlation module). Input normalisation is the backbone's own business.
/// </summary>
public abstract class Backbone : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module with a name.</summary>
    protected Backbone(string name) : base(name) { }

    /// <summary>Channels of the final feature map.</summary>
    public abstract int FeatureChannels { get; }

    /// <summary>Input size over final grid size.</summary>
    public abstract int OutputStride { get; }

    /// <summary>Channels of the two middle maps returned by <see cref="forward_with_middle"/>.</summary>
    public abstract (int First, int Second) MiddleChannels { get; }

    /// <summary>The final map and two middle maps (any grid; callers resize them).</summary>
    public abstract (Tensor Final, Tensor Middle1, Tensor Middle2) forward_with_middle(Tensor rgb);

    /// <summary>Parameters that arrive pretrained (trained at the base learning rate); the rest are new.</summary>
    public abstract IEnumerable<Parameter> PretrainedParameters();
}
