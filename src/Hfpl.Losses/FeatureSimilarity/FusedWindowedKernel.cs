using Hfpl.Internal;
using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Losses.FeatureSimilarity;

/// <summary>
/// The windowed feature similarity sum of <see cref="WindowedPairwiseKernel"/> (square window of half-width
/// <c>radius</c>, each unordered pair visited once), fused into one C# pass on the CPU for py = 2. For each grid row
/// and each half-window offset it builds the row's pair weights <c>A = w k m_i m_j</c> once, then streams every
/// prediction channel: <c>du = u_i - u_j</c>, value <c>+= 2 s A du^2</c>, gradient <c>+= 4 s A du</c> at i and
/// <c>-= 4 s A du</c> at j (s = 0.5 binomial, 1 multinomial), SIMD along the row. Nothing but the gradient is
/// allocated, and the rows a window touches stay in cache, so time and memory grow linearly with h w. Work items are
/// (image, channel group) pairs, so they write disjoint parts of the gradient and run in parallel without locks.
/// </summary>
internal static class FusedWindowedKernel
{
    /// <summary>Whether the fused pass handles these inputs: what <see cref="FusedPairWeights"/> handles, with py = 2.</summary>
    public static bool Supports(Tensor features, in FeatureSimilarityParameters p) => FusedPairWeights.Supports(features, p) && p.Py == 2;

    /// <inheritdoc cref="WindowedPairwiseKernel.Compute"/>
    public static (Tensor Value, Tensor Gradient) Compute(Tensor features, Tensor predictions, int radius, in FeatureSimilarityParameters p, Tensor? mask = null)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var f = features.contiguous();
        var u = predictions.contiguous();
        var m = mask?.contiguous();
        var gradient = torch.zeros_like(u);
        var value = u.dtype == ScalarType.Float32
            ? Run<float>(f, u, m, gradient, radius, p)
            : Run<double>(f, u, m, gradient, radius, p);
        return (torch.tensor(value, u.dtype, u.device).MoveToOuterDisposeScope(), gradient.MoveToOuterDisposeScope());
    }

    static double Run<T>(Tensor features, Tensor predictions, Tensor? mask, Tensor gradient, int radius, FeatureSimilarityParameters p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (batch, cx, cy) = ((int)features.shape[0], (int)features.shape[1], (int)predictions.shape[1]);
        var (h, w) = ((int)features.shape[2], (int)features.shape[3]);
        var n = h * w;
        var offsets = WindowedPairwiseKernel.HalfWindowOffsets(radius).Where(o => o.Dy < h && Math.Abs(o.Dx) < w)
            .Select(o => (Dy: (int)o.Dy, Dx: (int)o.Dx, Kernel: T.CreateChecked(p.SpatialKernel(o.Dy, o.Dx, h, w)))).ToArray();
        var edge = new EdgeWeightLanes<T>(p.FeatureNormDivisor(cx), p);
        var s = p.Posterior == Posterior.Binomial ? 0.5 : 1.0;
        var gradientScale = T.CreateChecked(4 * s);
        // Enough work items for every core: split the prediction channels when the batch is small.
        var groups = Math.Clamp((Environment.ProcessorCount + batch - 1) / batch, 1, cy);
        var partial = new double[batch * groups];
        var (fp, up, gp) = (TensorMemory.Pointer<T>(features), TensorMemory.Pointer<T>(predictions), TensorMemory.Pointer<T>(gradient));
        var mp = mask is null ? 0 : TensorMemory.Pointer<T>(mask);

        Parallel.For(0, batch * groups, item =>
        {
            var (b, group) = (item / groups, item % groups);
            var (c0, c1) = (group * cy / groups, (group + 1) * cy / groups);
            var f = TensorMemory.Span<T>(fp, (long)b * cx * n, cx * n);
            var u = TensorMemory.Span<T>(up, (long)b * cy * n, cy * n);
            var g = TensorMemory.Span<T>(gp, (long)b * cy * n, cy * n);
            var cellWeights = mp == 0 ? default : TensorMemory.Span<T>(mp, (long)b * n, n);
            var weights = new T[w];
            var total = 0.0;
            for (var y = 0; y < h; y++)
            foreach (var (dy, dx, kernel) in offsets)
            {
                if (y + dy >= h) continue;
                // Cells i = (y, x) and j = (y + dy, x + dx) for every x with both inside the row.
                var x0 = Math.Max(0, -dx);
                var count = w - Math.Abs(dx);
                var (i0, j0) = (y * w + x0, (y + dy) * w + x0 + dx);
                PairWeights(f, n, cx, i0, j0, count, kernel, edge, cellWeights, weights);
                var sum = T.Zero;
                for (var c = c0; c < c1; c++)
                    sum += Channel(u.Slice(c * n, n), g.Slice(c * n, n), i0, j0, count, weights, gradientScale);
                total += double.CreateChecked(sum);
            }
            partial[item] = 2 * s * total;
        });
        return partial.Sum();
    }

    /// <summary><c>A[x] = w(f_i, f_j) k (m_i m_j)</c> for the <paramref name="count"/> pairs (i0 + x, j0 + x).</summary>
    static void PairWeights<T>(Span<T> f, int n, int cx, int i0, int j0, int count, T kernel, in EdgeWeightLanes<T> edge, Span<T> cellWeights, T[] weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        var x = 0;
        for (; x <= count - lanes; x += lanes)
        {
            var distance = Vector<T>.Zero;
            for (var c = 0; c < cx; c++)
                distance = edge.Accumulate(distance, new Vector<T>(f.Slice(c * n + i0 + x, lanes)) - new Vector<T>(f.Slice(c * n + j0 + x, lanes)));
            var a = edge.Weight(distance) * kernel;
            if (!cellWeights.IsEmpty) a *= new Vector<T>(cellWeights.Slice(i0 + x, lanes)) * new Vector<T>(cellWeights.Slice(j0 + x, lanes));
            a.CopyTo(weights.AsSpan(x, lanes));
        }
        for (; x < count; x++)
        {
            var distance = T.Zero;
            for (var c = 0; c < cx; c++) distance = edge.Accumulate(distance, f[c * n + i0 + x] - f[c * n + j0 + x]);
            var a = edge.Weight(distance) * kernel;
            weights[x] = cellWeights.IsEmpty ? a : a * cellWeights[i0 + x] * cellWeights[j0 + x];
        }
    }

    /// <summary>One channel of one row of pairs: returns <c>sum A du^2</c> and adds <c>+-scale A du</c> to the gradient at i and j.</summary>
    static T Channel<T>(Span<T> u, Span<T> g, int i0, int j0, int count, T[] weights, T scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector<T>.Count;
        var sum = Vector<T>.Zero;
        var x = 0;
        for (; x <= count - lanes; x += lanes)
        {
            var a = new Vector<T>(weights, x);
            var du = new Vector<T>(u.Slice(i0 + x, lanes)) - new Vector<T>(u.Slice(j0 + x, lanes));
            var weighted = a * du;
            sum += weighted * du;
            var step = weighted * scale;
            var gi = g.Slice(i0 + x, lanes);
            (new Vector<T>(gi) + step).CopyTo(gi);
            var gj = g.Slice(j0 + x, lanes);
            (new Vector<T>(gj) - step).CopyTo(gj);
        }
        var tail = Vector.Sum(sum);
        for (; x < count; x++)
        {
            var du = u[i0 + x] - u[j0 + x];
            var weighted = weights[x] * du;
            tail += weighted * du;
            g[i0 + x] += weighted * scale;
            g[j0 + x] -= weighted * scale;
        }
        return tail;
    }
}
