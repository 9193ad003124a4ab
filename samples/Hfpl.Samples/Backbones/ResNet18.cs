using Hfpl.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Hfpl.Samples.Backbones;

/// <summary>
/// ResNet-18 without its classifier, laid out like the ImageNet-trained CNTK model that ML.NET ships in
/// the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 (0.23.1): a 7x7 stem, a 3x3 max pool and four
/// stages of <see cref="BasicBlock"/>s with 64, 128, 256 and 512 channels. That model has 2, 2, 2 and
/// <b>3</b> blocks per stage (torchvision's ResNet-18 has 2 in the last), so this port does too.
/// Maps a (B, 3, H, W) input, prepared by <see cref="ResNet18Input.FromRgb"/>, to (B, 512, ceil(H/os), ceil(W/os)).
/// </summary>
/// <remarks>
/// <para>The output stride os is 32, 16 or 8. Below 32, the stride-2 convolutions of the last (os 16) or the
/// last two (os 8) stages run at stride 1 and the 3x3 convolutions after them are dilated by 2 (os 16)
/// or by 2 and 4 (os 8), as in DeepLab. The weights are the same for every output stride, and the
/// os-16 map sampled every 2nd cell (every 4th at os 8) equals the os-32 map.</para>
/// <para>The model is created in evaluation mode, so batch norm uses its running statistics until
/// <c>train()</c> is called; <see cref="BatchNormMode"/> decides what <c>train()</c> does to batch norm.</para>
/// </remarks>
public sealed class ResNet18 : Module<Tensor, Tensor>
{
    /// <summary>Channels of the last stage's map, what <see cref="forward"/> returns.</summary>
    public const int FeatureChannels = 512;

    /// <summary>Blocks per stage in the CNTK model.</summary>
    internal static readonly int[] BlocksPerStage = [2, 2, 2, 3];

    internal static readonly int[] ChannelsPerStage = [64, 128, 256, 512];

    readonly Conv2d conv1;
    readonly BatchNorm2d bn1;
    readonly Sequential layer1;
    readonly Sequential layer2;
    readonly Sequential layer3;
    readonly Sequential layer4;

    /// <summary>Creates a randomly initialised ResNet-18; see <see cref="Pretrained"/> for ImageNet weights.</summary>
    /// <param name="outputStride">32 (no dilation), 16 (last stage dilated) or 8 (last two stages dilated).</param>
    /// <param name="batchNorm">What <c>train()</c> does to the batch-norm layers.</param>
    public ResNet18(int outputStride = 32, BatchNormMode batchNorm = BatchNormMode.Trainable) : base(Loaded(nameof(ResNet18)))
    {
        if (outputStride is not (8 or 16 or 32)) throw new ArgumentOutOfRangeException(nameof(outputStride), outputStride, "outputStride must be 8, 16 or 32.");
        if (!Enum.IsDefined(batchNorm)) throw new ArgumentOutOfRangeException(nameof(batchNorm));
        OutputStride = outputStride;
        BatchNorm = batchNorm;

        conv1 = Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(64);
        long dilation = 1;
        layer1 = Stage(64, 0, dilate: false, ref dilation);
        layer2 = Stage(64, 1, dilate: false, ref dilation);
        layer3 = Stage(128, 2, dilate: outputStride == 8, ref dilation);
        layer4 = Stage(256, 3, dilate: outputStride <= 16, ref dilation);
        RegisterComponents();

        if (batchNorm == BatchNormMode.Frozen)
        {
            foreach (var norm in modules().OfType<BatchNorm2d>())
            {
                norm.weight!.requires_grad = false;
                norm.bias!.requires_grad = false;
            }
        }
        eval();
    }

    /// <summary>Creates the model and loads the ImageNet weights with <see cref="ResNet18Weights.Load"/>.</summary>
    /// <param name="outputStride">32, 16 or 8; see <see cref="ResNet18(int, BatchNormMode)"/>.</param>
    /// <param name="batchNorm">What <c>train()</c> does to the batch-norm layers.</param>
    /// <param name="onnxPath">The ResNet18.onnx file; null finds it with <see cref="ResNet18Weights.DefaultOnnxPath"/>.</param>
    /// <exception cref="FileNotFoundException">The weights file is missing (run <c>dotnet restore</c>).</exception>
    public static ResNet18 Pretrained(int outputStride = 32, BatchNormMode batchNorm = BatchNormMode.Trainable, string? onnxPath = null)
    {
        var model = new ResNet18(outputStride, batchNorm);
        try
        {
            ResNet18Weights.Load(model, onnxPath ?? ResNet18Weights.DefaultOnnxPath());
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>32, 16 or 8: input size over the size of the last stage's map.</summary>
    public int OutputStride { get; }

    /// <summary>What <c>train()</c> does to the batch-norm layers.</summary>
    public BatchNormMode BatchNorm { get; }

    /// <summary>The stem convolution and its batch norm.</summary>
    internal (Conv2d Conv, BatchNorm2d Norm) StemLayer => (conv1, bn1);

    /// <summary>The blocks of the four stages, in order.</summary>
    internal IReadOnlyList<IReadOnlyList<BasicBlock>> Stages =>
        [.. new[] { layer1, layer2, layer3, layer4 }.Select(s => (IReadOnlyList<BasicBlock>)[.. s.children().Cast<BasicBlock>()])];

    /// <summary>Maps the network input (B, 3, H, W) to the last stage's map (B, 512, ceil(H/os), ceil(W/os)).</summary>
    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        using var stem = Stem(input);
        using var pooled = functional.max_pool2d(stem, 3, stride: 2, padding: 1);
        using var x1 = layer1.forward(pooled);
        using var x2 = layer2.forward(x1);
        using var x3 = layer3.forward(x2);
        return layer4.forward(x3);
    }

    /// <summary>Runs the network and keeps every stage's map (for models that read middle stages, like SEAM).</summary>
    /// <param name="input">The network input (B, 3, H, W).</param>
    public ResNet18Features forward_stages(Tensor input)
    {
        CheckInput(input);
        var stem = Stem(input);
        using var pooled = functional.max_pool2d(stem, 3, stride: 2, padding: 1);
        var x1 = layer1.forward(pooled);
        var x2 = layer2.forward(x1);
        var x3 = layer3.forward(x2);
        return new ResNet18Features(stem, x1, x2, x3, layer4.forward(x3));
    }

    /// <summary>Sets training mode; batch norm stays in evaluation mode unless <see cref="BatchNorm"/> is <see cref="BatchNormMode.Trainable"/>.</summary>
    public override void train(bool train = true)
    {
        base.train(train);
        if (BatchNorm == BatchNormMode.Trainable) return;
        foreach (var norm in modules().OfType<BatchNorm2d>()) norm.eval();
    }

    Tensor Stem(Tensor input)
    {
        using var a = conv1.forward(input);
        using var b = bn1.forward(a);
        return functional.relu(b);
    }

    // The stage's first block holds the stride; dilating replaces it by stride 1 and multiplies the
    // dilation of every later 3x3 convolution, while the first block's first convolution keeps the previous
    // dilation (torchvision's replace_stride_with_dilation), so the sampled points do not move.
    static Sequential Stage(long inChannels, int index, bool dilate, ref long dilation)
    {
        long stride = index == 0 ? 1 : 2;
        var previousDilation = dilation;
        if (dilate)
        {
            dilation *= stride;
            stride = 1;
        }
        var channels = ChannelsPerStage[index];
        var blocks = new List<BasicBlock> { new(nameof(BasicBlock), inChannels, channels, stride, previousDilation, dilation) };
        for (var b = 1; b < BlocksPerStage[index]; b++)
            blocks.Add(new BasicBlock(nameof(BasicBlock), channels, channels, 1, dilation, dilation));
        return Sequential(blocks);
    }

    static void CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[1] != 3)
            throw new ArgumentException($"input must have shape (B, 3, H, W), got [{string.Join(", ", input.shape)}].", nameof(input));
    }

    static string Loaded(string name)
    {
        TorchNative.EnsureLoaded();
        return name;
    }
}
