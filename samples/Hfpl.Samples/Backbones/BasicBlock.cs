using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Hfpl.Samples.Backbones;

/// <summary>
/// The ResNet basic block (He et al., "Deep Residual Learning for Image Recognition", CVPR 2016):
/// relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), with 3x3 convolutions and a 1x1 conv + BN shortcut
/// when the block changes the channel count or the stride. Submodule names follow torchvision
/// (<c>conv1, bn1, conv2, bn2, downsample.0, downsample.1</c>).
/// </summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    readonly Conv2d conv1;
    readonly BatchNorm2d bn1;
    readonly Conv2d conv2;
    readonly BatchNorm2d bn2;
    readonly Sequential? downsample;

    /// <summary>Creates a block mapping (B, <paramref name="inChannels"/>, H, W) to (B, <paramref name="outChannels"/>, ceil(H/stride), ceil(W/stride)).</summary>
    /// <param name="stride">Stride of the first 3x3 convolution and of the shortcut (1 or 2).</param>
    /// <param name="firstDilation">Dilation of the first 3x3 convolution.</param>
    /// <param name="dilation">Dilation of the second 3x3 convolution.</param>
    /// <remarks>
    /// Padding equals the dilation, so every 3x3 convolution is centred: output (i, j) sits over input
    /// (stride*i, stride*j), and dilating changes the sampling grid, never the weights.
    /// </remarks>
    public BasicBlock(string name, long inChannels, long outChannels, long stride = 1, long firstDilation = 1, long dilation = 1)
        : base(name)
    {
        if (stride is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(stride));
        if (firstDilation < 1) throw new ArgumentOutOfRangeException(nameof(firstDilation));
        if (dilation < 1) throw new ArgumentOutOfRangeException(nameof(dilation));
        conv1 = Conv2d(inChannels, outChannels, 3, stride: stride, padding: firstDilation, dilation: firstDilation, bias: false);
        bn1 = BatchNorm2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, 3, padding: dilation, dilation: dilation, bias: false);
        bn2 = BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
            downsample = Sequential(Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), BatchNorm2d(outChannels));
        RegisterComponents();
    }

    /// <summary>The main path's two convolutions, each with the batch norm that follows it.</summary>
    internal IReadOnlyList<(Conv2d Conv, BatchNorm2d Norm)> MainPath => [(conv1, bn1), (conv2, bn2)];

    /// <summary>The projection shortcut, or null when the shortcut is the identity.</summary>
    internal (Conv2d Conv, BatchNorm2d Norm)? Shortcut =>
        downsample is null ? null : ((Conv2d)downsample[0], (BatchNorm2d)downsample[1]);

    /// <summary>Maps (B, C_in, H, W) to (B, C_out, H', W').</summary>
    public override Tensor forward(Tensor input)
    {
        using var a = conv1.forward(input);
        using var b = bn1.forward(a);
        using var c = functional.relu(b);
        using var d = conv2.forward(c);
        var sum = bn2.forward(d);
        if (downsample is null)
        {
            sum.add_(input);
        }
        else
        {
            using var shortcut = downsample.forward(input);
            sum.add_(shortcut);
        }
        return sum.relu_();
    }
}
