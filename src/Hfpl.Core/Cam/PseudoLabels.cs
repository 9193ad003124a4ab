using Hfpl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl;

public static partial class hfpl
{
    /// <summary>The label written where no decision can be made (an image with no present class).</summary>
    public const byte IgnoreIndex = 255;

    /// <summary>
    /// Decodes normalised CAMs into pseudo-label masks (docs/method.md section 4).
    /// With a <paramref name="backgroundThreshold"/> t (data with a background class): a pixel is class
    /// <c>1 + argmax</c> over the present classes when their largest score is strictly greater than t, else
    /// background 0 (ties go to background). Without (data such as MSRC-21 with no background class): the
    /// argmax over present classes, class index = channel index, and <see cref="IgnoreIndex"/> where the
    /// image has no present class.
    /// </summary>
    /// <param name="cams">Normalised CAMs <c>(B, K, H, W)</c>, usually in [0, 1].</param>
    /// <param name="labels">Image-level labels <c>(B, K)</c> in {0, 1}; absent classes are never predicted.</param>
    /// <param name="backgroundThreshold">The background score t, or null for data with no background class.</param>
    /// <returns>Label masks <c>(B, H, W)</c>, int64, on the device of <paramref name="cams"/>.</returns>
    public static Tensor pseudo_labels(Tensor cams, Tensor labels, double? backgroundThreshold)
    {
        Check.Map(cams, 4, nameof(cams), "(B, K, H, W)");
        Check.Labels(labels, cams.shape[0], cams.shape[1], nameof(labels));
        if (backgroundThreshold is { } t && !double.IsFinite(t))
            throw new ArgumentOutOfRangeException(nameof(backgroundThreshold), t, "backgroundThreshold must be finite.");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        // No implicitly converted Scalars (see Scalars): the ones made here are disposed here.
        using var negativeInfinity = double.NegativeInfinity.ToScalar();
        var absent = labels.to(cams.device).eq(Scalars.Zero).unsqueeze(-1).unsqueeze(-1);
        var scores = cams.masked_fill(absent, negativeInfinity);
        var (best, index) = scores.max(1);
        Tensor result;
        if (backgroundThreshold is { } threshold)
        {
            using var cut = threshold.ToScalar();
            result = torch.where(best.gt(cut), index.add(Scalars.One, Scalars.One), torch.zeros_like(index));
        }
        else
        {
            using var ignore = IgnoreIndex.ToScalar();
            result = torch.where(best.gt(negativeInfinity), index, torch.full_like(index, ignore));
        }
        return result.MoveToOuterDisposeScope();
    }
}
