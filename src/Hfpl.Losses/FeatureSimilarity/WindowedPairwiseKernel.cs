using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Losses.FeatureSimilarity;

/// <summary>
/// The feature similarity sum restricted to pairs of grid cells at most <c>radius</c> apart along each axis (a
/// <c>(2 radius + 1)^2</c> square window, in grid cells), over the whole batch at once. The square keeps more of the
/// Gaussian kernel's mass than a disk of the same radius (at radius 3 sigma it drops 0.5 % of it, a disk 1.1 %). Each unordered pair is visited once through the half of the offsets
/// with <c>dy &gt; 0</c> or <c>dy = 0, dx &gt; 0</c>, and counted twice (A and d_y are symmetric). Time and memory
/// are O(B Cy h w) per offset; nothing of size (hw)^2 is built. Returns the value and its analytic gradient.
/// </summary>
internal static class WindowedPairwiseKernel
{
    /// <summary>Computes <c>sum_b sum_{max(|dy|, |dx|) &lt;= radius} A_ij d_y(u_i, u_j)</c> and its gradient.</summary>
    /// <param name="features">Features <c>(B, Cx, h, w)</c>, the predictions' dtype and device.</param>
    /// <param name="predictions">Predictions <c>(B, Cy, h, w)</c>, detached.</param>
    /// <param name="radius">Largest pair distance in grid cells.</param>
    /// <param name="p">Hyper-parameters.</param>
    /// <param name="mask">Cell weights <c>(B, 1, h, w)</c>, or null: pair (i, j) is weighted by <c>m_i m_j</c>.</param>
    /// <returns>The pair sum (0-dim) and its gradient <c>(B, Cy, h, w)</c>.</returns>
    public static (Tensor Value, Tensor Gradient) Compute(Tensor features, Tensor predictions, int radius, in FeatureSimilarityParameters p, Tensor? mask = null)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (cx, h, w) = (features.shape[1], features.shape[2], features.shape[3]);
        var divisor = p.FeatureNormDivisor(cx);
        var value = torch.zeros([], predictions.dtype, predictions.device);
        var gradient = torch.zeros_like(predictions);
        foreach (var (dy, dx) in HalfWindowOffsets(radius))
        {
            if (dy >= h || Math.Abs(dx) >= w) continue;
            using var offsetScope = torch.NewDisposeScope();
            // Cell i = (y, x) pairs with j = (y + dy, x + dx); both inside the grid. Views, no copies.
            var (rows, x0) = (h - dy, Math.Max(0, -dx));
            var columns = w - Math.Abs(dx);
            Tensor First(Tensor t) => t.narrow(2, 0, rows).narrow(3, x0, columns);
            Tensor Second(Tensor t) => t.narrow(2, dy, rows).narrow(3, x0 + dx, columns);

            var featureDifference = First(features) - Second(features);
            var distance = p.Px switch
            {
                1 => featureDifference.abs_().sum(1),
                2 => featureDifference.pow_(2).sum(1).sqrt_(),
                _ => featureDifference.abs_().pow_(p.Px).sum(1).pow_(1 / p.Px),
            };
            var weight = ColourEdgeWeight.FromDistancesInPlace(distance, divisor, p)
                .mul_(p.SpatialKernel(dy, dx, h, w)).unsqueeze(1);             // (B, 1, h', w')
            if (mask is not null) weight = weight.mul_(First(mask)).mul_(Second(mask));

            var difference = First(predictions) - Second(predictions);
            value.add_((weight * PredictionDistance.Value(difference, 1, p).unsqueeze(1)).sum().mul_(2.0));
            var step = PredictionDistance.Derivative(difference, 1, p).mul_(weight).mul_(2.0);
            First(gradient).add_(step);
            Second(gradient).sub_(step);
        }
        return (value.MoveToOuterDisposeScope(), gradient.MoveToOuterDisposeScope());
    }

    /// <summary>Offsets (dy, dx) with <c>|dy|, |dx| &lt;= radius</c> in the half plane <c>dy &gt; 0 or (dy = 0 and dx &gt; 0)</c>.</summary>
    internal static IEnumerable<(long Dy, long Dx)> HalfWindowOffsets(int radius)
    {
        for (long dy = 0; dy <= radius; dy++)
            for (long dx = -radius; dx <= radius; dx++)
                if (dy > 0 || dx > 0)
                    yield return (dy, dx);
    }
}
