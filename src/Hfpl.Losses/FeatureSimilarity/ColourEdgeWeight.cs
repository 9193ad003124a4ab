using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Losses.FeatureSimilarity;

/// <summary>
/// The colour-edge weight <c>w = tanh(mu + log((d + 1e-5) / (1 - d + 1e-5)))</c> of a clamped feature distance,
/// computed in place with no transcendental per element: with <c>t = a / b</c>,
/// <c>tanh(mu + log t) = 1 - 2 / (exp(2 mu) t^2 + 1)</c>. -1 for identical colours, +1 across strong edges.
/// </summary>
internal static class ColourEdgeWeight
{
    /// <summary>
    /// Overwrites raw feature distances (px-norms, not yet divided) with weights. Call without autograd.
    /// </summary>
    /// <param name="distances">Raw px-norm distances, any shape; overwritten.</param>
    /// <param name="divisor">The normaliser of the distance (<c>Cx^(1/px)</c> or <c>Cx</c>).</param>
    /// <param name="parameters">mu.</param>
    /// <returns><paramref name="distances"/>, now holding w.</returns>
    public static Tensor FromDistancesInPlace(Tensor distances, double divisor, in FeatureSimilarityParameters parameters)
    {
        const double eps = FeatureSimilarityParameters.DistanceEpsilon;
        // a = d + eps, b = 1 + eps - d = (1 + 2 eps) - a, so t = a / b = 1 / ((1 + 2 eps) / a - 1).
        return distances.div_(divisor).clamp_(0, 1).add_(eps)
            .reciprocal_().mul_(1 + 2 * eps).sub_(1).reciprocal_()
            .pow_(2).mul_(parameters.TanhScale).add_(1).reciprocal_().mul_(-2).add_(1);
    }
}
