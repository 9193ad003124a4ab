using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Losses.FeatureSimilarity;

/// <summary>
/// The feature similarity loss written literally from docs/method.md section 2: dense <c>(B, hw, hw)</c> pair matrices for
/// d_x (of the features clamped to [0, 1]), w, d_y and k, the element-wise chain with tanh and log, autograd for the gradient. O((hw)^2) memory per
/// image. Not for training: it is the in-process reference that tests and benchmarks compare the kernels against.
/// </summary>
internal static class LiteralFeatureSimilarity
{
    /// <param name="features">Features <c>(B, Cx, h, w)</c>.</param>
    /// <param name="predictions">Predictions <c>(B, Cy, h, w)</c>.</param>
    /// <param name="p">Hyper-parameters.</param>
    /// <param name="radius">Null for all pairs, else only pairs at most this many grid cells apart along each axis.</param>
    /// <param name="mask">Cell weights <c>(B, 1, h, w)</c>, or null: pair (i, j) is weighted by <c>m_i m_j</c>.</param>
    /// <returns>The 0-dim loss, differentiable with respect to <paramref name="predictions"/>.</returns>
    public static Tensor Loss(Tensor features, Tensor predictions, FeatureSimilarityParameters p, int? radius = null, Tensor? mask = null)
    {
        using var scope = torch.NewDisposeScope();
        var (batch, cx, h, w) = (features.shape[0], features.shape[1], features.shape[2], features.shape[3]);
        var cy = predictions.shape[1];
        var f = features.detach().to(predictions.dtype).clamp(0, 1).reshape(batch, cx, h * w).transpose(1, 2);
        var u = predictions.reshape(batch, cy, h * w).transpose(1, 2);

        var dx = (torch.cdist(f, f, p.Px, compute_mode.donot_use_mm_for_euclid_dist) / p.FeatureNormDivisor(cx)).clamp(0, 1);
        var weight = torch.tanh(p.Mu + torch.log((dx + 1e-5) / (1 - dx + 1e-5)));
        var norm = torch.cdist(u, u, p.Py, compute_mode.donot_use_mm_for_euclid_dist);
        var dy = p.Posterior == Posterior.Binomial ? 0.5 * norm.pow(p.Py) : norm.pow(2);

        var grid = torch.stack(torch.meshgrid([torch.arange(h, predictions.dtype), torch.arange(w, predictions.dtype)], indexing: "ij"), -1)
            .reshape(h * w, 2).to(predictions.device);
        var squaredDistance = torch.cdist(grid, grid).pow(2);
        var axisDistance = torch.cdist(grid, grid, double.PositiveInfinity);
        var kernel = p.Sigma is { } sigma
            ? torch.exp(-squaredDistance / (2 * sigma * sigma)) / (2 * Math.PI * sigma * sigma)
            : torch.full_like(squaredDistance, 1.0 / (h * w));
        if (radius is { } r) kernel = kernel * (axisDistance <= r + 1e-9).to(kernel.dtype);

        if (mask is not null)
        {
            var m = mask.detach().to(predictions.dtype).reshape(batch, h * w);
            kernel = kernel * (m.unsqueeze(2) * m.unsqueeze(1));
        }
        var loss = -(kernel * dy * weight).sum() / (batch * h * w);
        return loss.MoveToOuterDisposeScope();
    }
}
