using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Hfpl.Samples.Backbones;

/// <summary>
/// The ImageNet-pretrained <see cref="ResNet18"/> as a WSSS backbone: takes RGB in [0, 1], applies the CNTK model's
/// input convention itself, freezes the stem (conv1 and its batch norm) and every batch norm (small WSSS batches
/// cannot estimate statistics), and exposes layer2 and layer3 as the middle maps.
/// </summary>
public sealed class ResNet18Backbone : Backbone
{
    readonly ResNet18 network;

    /// <summary>Loads the pretrained weights.</summary>
    /// <param name="outputStride">16 or 8 (the last stage, or the last two, dilated); 32 for no dilation.</param>
    /// <param name="onnxPath">ResNet18.onnx, or null to find it in the NuGet cache.</param>
    public ResNet18Backbone(int outputStride = 16, string? onnxPath = null) : this(ResNet18.Pretrained(outputStride, BatchNormMode.Frozen, onnxPath)) { }

    /// <summary>Wraps an existing network (random weights in tests).</summary>
    public ResNet18Backbone(ResNet18 network) : base(nameof(ResNet18Backbone))
    {
        this.network = network;
        RegisterComponents();
        var (conv, _) = network.StemLayer;
        conv.weight!.requires_grad = false;
    }

    /// <inheritdoc />
    public override int FeatureChannels => ResNet18.FeatureChannels;

    /// <inheritdoc />
    public override int OutputStride => network.OutputStride;

    /// <inheritdoc />
    public override (int First, int Second) MiddleChannels => (128, 256);

    /// <inheritdoc />
    public override Tensor forward(Tensor rgb)
    {
        using var input = ResNet18Input.FromRgb(rgb);
        return network.call(input);
    }

    /// <inheritdoc />
    public override (Tensor Final, Tensor Middle1, Tensor Middle2) forward_with_middle(Tensor rgb)
    {
        using var input = ResNet18Input.FromRgb(rgb);
        using var stages = network.forward_stages(input);
        return (stages.Layer4.alias(), stages.Layer2.alias(), stages.Layer3.alias());
    }

    /// <inheritdoc />
    public override IEnumerable<Parameter> PretrainedParameters() => network.parameters();
}
