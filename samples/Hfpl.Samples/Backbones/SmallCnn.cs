using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Hfpl.Samples.Backbones;

/// <summary>
/// A small randomly initialised CNN for the built-in synthetic data: four conv-BN-ReLU stages, output stride 8
/// or 4 (the third stage then keeps its resolution and dilates instead), the last stage dilated for a wider
/// receptive field. Trains in about a minute on two CPU cores at 96x96.
/// </summary>
public sealed class SmallCnn : Backbone
{
    readonly Sequential stage1, stage2, stage3, stage4;

    /// <summary>Creates the network.</summary>
    /// <param name="width">Channels of the first stage; later stages double it up to 4x.</param>
    /// <param name="outputStride">8, or 4 for a finer CAM grid.</param>
    public SmallCnn(int width = 32, int outputStride = 8) : base(nameof(SmallCnn))
    {
        if (outputStride is not (4 or 8)) throw new ArgumentOutOfRangeException(nameof(outputStride), outputStride, "outputStride must be 4 or 8.");
        Width = width;
        OutputStride = outputStride;
        var dilation = outputStride == 8 ? 1 : 2;
        stage1 = Block(3, width, 2, 1);
        stage2 = Block(width, 2 * width, 2, 1);
        stage3 = Block(2 * width, 4 * width, outputStride == 8 ? 2 : 1, dilation);
        stage4 = Block(4 * width, 4 * width, 1, 2 * dilation);
        RegisterComponents();
    }

    /// <summary>Channels of the first stage.</summary>
    public int Width { get; }

    /// <inheritdoc />
    public override int FeatureChannels => 4 * Width;

    /// <inheritdoc />
    public override int OutputStride { get; }

    /// <inheritdoc />
    public override (int First, int Second) MiddleChannels => (2 * Width, 4 * Width);

    static Sequential Block(int input, int output, int stride, int dilation) => Sequential(
        Conv2d(input, output, 3, stride: stride, padding: dilation, dilation: dilation, bias: false), BatchNorm2d(output), ReLU(),
        Conv2d(output, output, 3, padding: dilation, dilation: dilation, bias: false), BatchNorm2d(output), ReLU());

    /// <summary>RGB in [0, 1] <c>(B, 3, H, W)</c> to features <c>(B, 4 width, H/8, W/8)</c>.</summary>
    public override Tensor forward(Tensor rgb)
    {
        var (final, middle1, middle2) = forward_with_middle(rgb);
        middle1.Dispose();
        middle2.Dispose();
        return final;
    }

    /// <inheritdoc />
    public override (Tensor Final, Tensor Middle1, Tensor Middle2) forward_with_middle(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var x = stage2.call(stage1.call(rgb - 0.5));
        var y = stage3.call(x);
        var z = stage4.call(y);
        return (z.MoveToOuterDisposeScope(), x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public override IEnumerable<Parameter> PretrainedParameters() => [];
}
