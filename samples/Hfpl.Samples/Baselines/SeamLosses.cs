using static TorchSharp.torch;

namespace Hfpl.Samples.Baselines;

/// <summary>
/// The loss terms and normalisations of SEAM (Wang et al., CVPR 2020), as docs/method.md section 3.2 specifies them from the reference
/// code. Maps are <c>(B, C, h, w)</c> with channel 0 background.
/// </summary>
public static class SeamLosses
{
    /// <summary>
    /// The network's normalised CAM (no gradient): <c>relu(relu(z) - 1e-5) / (max relu(z) + 1e-5)</c> per channel,
    /// background <c>1 - max fg</c>, foreground channels zeroed where they are not the largest foreground channel.
    /// </summary>
    public static Tensor NormalisedCam(Tensor logits)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var positive = nn.functional.relu(logits.detach());
        var max = positive.flatten(2).amax([2], keepdim: true).unsqueeze(-1) + 1e-5;
        var n = nn.functional.relu(positive - 1e-5) / max;
        return WithBackground(MaxOneHot(n)).MoveToOuterDisposeScope();
    }

    /// <summary>Replaces channel 0 by <c>1 - max_{c &gt;= 1} x_c</c>.</summary>
    public static Tensor WithBackground(Tensor x)
    {
        using var scope = NewDisposeScope();
        var foreground = x[.., 1..];
        return cat([1 - foreground.amax([1], keepdim: true), foreground], 1).MoveToOuterDisposeScope();
    }

    /// <summary>Zeroes the foreground channels that are not the largest foreground channel at each cell (background kept).</summary>
    public static Tensor MaxOneHot(Tensor x)
    {
        using var scope = NewDisposeScope();
        var foreground = x[.., 1..];
        var keep = foreground >= foreground.amax([1], keepdim: true);
        return cat([x[.., ..1], foreground * keep.to(x.dtype)], 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The adaptive min-pooling loss on label-masked foreground maps <c>(B, K, h, w)</c>: per cell the max over classes,
    /// the lowest quarter of cells, relu, summed and divided by (count * B).
    /// </summary>
    public static Tensor MinPoolingLoss(Tensor foreground)
    {
        using var scope = NewDisposeScope();
        var (b, h, w) = (foreground.shape[0], foreground.shape[2], foreground.shape[3]);
        var k = Math.Max(1, h * w / 4);
        var lowest = foreground.amax([1]).view(b, -1).topk((int)k, dim: -1, largest: false).values;
        return (nn.functional.relu(lowest).sum() / (k * b)).MoveToOuterDisposeScope();
    }

    /// <summary>Mean of the largest <paramref name="fraction"/> of the C h w entries of each image.</summary>
    public static Tensor TopKMean(Tensor x, double fraction = 0.2)
    {
        using var scope = NewDisposeScope();
        var flat = x.flatten(1);
        var k = Math.Max(1, (int)(flat.shape[1] * fraction));
        return flat.topk(k, dim: -1).values.mean().MoveToOuterDisposeScope();
    }
}
