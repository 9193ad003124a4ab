using Hfpl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Losses.FeatureSimilarity;

/// <summary>
/// The exact feature similarity sum over all ordered pairs of grid cells, image by image, in blocks of whole
/// grid rows, so no more than one block of the <c>hw x hw</c> pair matrix <c>A = k * w</c> exists at a time.
/// Returns the value and its analytic gradient with respect to the predictions; autograd keeps nothing of size (hw)^2.
/// For py = 2 the pair sum is a matrix product: <c>sum_ij A_ij |u_i - u_j|^2 / 2 = sum_i d_i |u_i|^2 - sum_ij A_ij u_i.u_j</c>
/// with <c>d = A 1</c>; other exponents evaluate d_y per pair.
/// </summary>
internal static class ExactPairwiseKernel
{
    /// <summary>Elements of one block of A (8 MiB in float32): large enough for fast matrix products, small enough for caches and memory.</summary>
    const long BlockElements = 1L << 21;

    /// <summary>Computes <c>sum_b sum_ij A_ij d_y(u_i, u_j)</c> and its gradient.</summary>
    /// <param name="features">Features <c>(B, Cx, h, w)</c>, the predictions' dtype and device.</param>
    /// <param name="predictions">Predictions <c>(B, Cy, h, w)</c>, detached.</param>
    /// <param name="p">Hyper-parameters.</param>
    /// <param name="mask">Cell weights <c>(B, 1, h, w)</c>, or null: pair (i, j) is weighted by <c>m_i m_j</c>.</param>
    /// <returns>The pair sum (0-dim) and its gradient <c>(B, Cy, h, w)</c>.</returns>
    public static (Tensor Value, Tensor Gradient) Compute(Tensor features, Tensor predictions, in FeatureSimilarityParameters p, Tensor? mask = null)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (batch, cx, h, w) = (features.shape[0], features.shape[1], features.shape[2], features.shape[3]);
        var cy = predictions.shape[1];
        var n = h * w;
        var divisor = p.FeatureNormDivisor(cx);
        var (rowKernel, columnKernel) = SeparableSpatialKernel(h, w, p, predictions.dtype, predictions.device);
        var fastPath = p.Py == 2;
        var fused = FusedPairWeights.Supports(features, p);
        // The general path holds (rows x n x Cy) differences, so its blocks are Cy times thinner.
        var rowsPerBlock = Math.Clamp(BlockElements / (w * n * (fastPath ? 1 : cy)), 1, h);

        // No implicitly converted Scalars (see Scalars): these are disposed here.
        var factor = p.Posterior == Posterior.Binomial ? 1.0 : 2.0;
        using var two = 2.0.ToScalar();
        using var flat = (1.0 / n).ToScalar();
        using var valueFactor = factor.ToScalar();
        using var gradientFactor = (2 * factor).ToScalar();
        var value = torch.zeros([], predictions.dtype, predictions.device);
        var gradient = torch.empty([batch, n, cy], predictions.dtype, predictions.device);
        for (long b = 0; b < batch; b++)
        {
            using var imageScope = torch.NewDisposeScope();
            var channelMajor = features[b].reshape(cx, n).contiguous();
            var f = fused ? channelMajor : channelMajor.t().contiguous();
            var u = predictions[b].reshape(cy, n).t().contiguous();
            var cellWeights = mask?[b].reshape(n);
            for (long r0 = 0; r0 < h; r0 += rowsPerBlock)
            {
                using var blockScope = torch.NewDisposeScope();
                var rows = Math.Min(rowsPerBlock, h - r0);
                var (i0, i1) = (r0 * w, (r0 + rows) * w);
                Tensor pairs;
                if (fused)
                {
                    pairs = torch.empty([i1 - i0, n], predictions.dtype, predictions.device);
                    FusedPairWeights.Fill(pairs, f, i0, h, w, divisor, p);
                }
                else
                {
                    pairs = torch.cdist(f.narrow(0, i0, i1 - i0), f, p.Px, compute_mode.donot_use_mm_for_euclid_dist);
                    ColourEdgeWeight.FromDistancesInPlace(pairs, divisor, p);
                    if (rowKernel is null) pairs.mul_(flat);
                    else pairs.view(rows, w, h, w).mul_(rowKernel.narrow(0, r0, rows).view(rows, 1, h, 1)).mul_(columnKernel!.view(1, w, 1, w));
                }
                if (cellWeights is not null) pairs.mul_(cellWeights.narrow(0, i0, i1 - i0).unsqueeze(1)).mul_(cellWeights.unsqueeze(0));

                var ui = u.narrow(0, i0, i1 - i0);
                Tensor blockValue, blockGradient;
                if (fastPath)
                {
                    // G_i = d_i u_i - (A u)_i; binomial value = sum_i u_i.G_i, gradient 2 G; multinomial (no 0.5) twice both.
                    var g = (ui * pairs.sum(1, keepdim: true)).sub_(pairs.mm(u));
                    blockValue = (ui * g).sum().mul_(valueFactor);
                    blockGradient = g.mul_(gradientFactor);
                }
                else
                {
                    var difference = ui.unsqueeze(1) - u.unsqueeze(0);                   // (rows*w, n, Cy)
                    blockValue = (pairs * PredictionDistance.Value(difference, 2, p)).sum();
                    // Row i's derivative counts both ordered pairs (i, j) and (j, i): A is symmetric, d_y even.
                    blockGradient = (pairs.unsqueeze(2) * PredictionDistance.Derivative(difference, 2, p)).sum(1).mul_(two);
                }
                value.add_(blockValue, Scalars.One);
                gradient[b].narrow(0, i0, i1 - i0).copy_(blockGradient);
            }
        }
        var result = gradient.transpose(1, 2).reshape(batch, cy, h, w);
        return (value.MoveToOuterDisposeScope(), result.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Gaussian factors <c>R[y_i, y_j] * C[x_i, x_j]</c> whose product is the spatial kernel k (the normaliser
    /// <c>1 / (2 pi sigma^2)</c> folded into C), or (null, null) for the flat kernel.
    /// </summary>
    static (Tensor? Rows, Tensor? Columns) SeparableSpatialKernel(long h, long w, in FeatureSimilarityParameters p, ScalarType dtype, Device device)
    {
        if (p.Sigma is not { } sigma) return (null, null);
        var rows = torch.tensor(FusedPairWeights.Gaussian<double>((int)h, sigma, 1.0), [h, h]).to(dtype, device);
        var columns = torch.tensor(FusedPairWeights.Gaussian<double>((int)w, sigma, 1 / (2 * Math.PI * sigma * sigma)), [w, w]).to(dtype, device);
        return (rows, columns);
    }
}
