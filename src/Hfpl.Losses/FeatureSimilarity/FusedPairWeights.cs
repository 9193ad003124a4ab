using Hfpl.Internal;
using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Losses.FeatureSimilarity;

/// <summary>
/// The pair weights <c>A_ij = w_ij k_ij</c> of a block of rows, fused into one SIMD pass per row on the CPU: colour
/// distance (px = 1 or 2), clamp, the colour-edge weight as a rational function (no tanh or log per pair), and the
/// separable Gaussian. Replaces a cdist and about ten element-wise passes over the block. Rows run in parallel.
/// </summary>
internal static class FusedPairWeights
{
    /// <summary>Whether the fused pass handles these inputs: CPU tensors of float32 or float64, and px of 1 or 2.</summary>
    public static bool Supports(Tensor features, in FeatureSimilarityParameters p) =>
        features.device_type == DeviceType.CPU && features.dtype is ScalarType.Float32 or ScalarType.Float64 && p.Px is 1 or 2;

    /// <summary>Fills <paramref name="block"/> (rows x n, contiguous) with A for grid cells <c>first .. first + rows</c>.</summary>
    /// <param name="block">Output <c>(rows, h w)</c>, contiguous, the features' dtype.</param>
    /// <param name="features">Features of one image, channel-major <c>(Cx, h w)</c>, contiguous.</param>
    /// <param name="first">Index of the block's first cell.</param>
    /// <param name="h">Grid height.</param>
    /// <param name="w">Grid width.</param>
    /// <param name="divisor">What the colour distance is divided by.</param>
    /// <param name="p">mu, sigma, px.</param>
    public static void Fill(Tensor block, Tensor features, long first, long h, long w, double divisor, in FeatureSimilarityParameters p)
    {
        if (block.dtype == ScalarType.Float32) Fill<float>(block, features, first, h, w, divisor, p);
        else Fill<double>(block, features, first, h, w, divisor, p);
    }

    static void Fill<T>(Tensor block, Tensor features, long first, long h, long w, double divisor, FeatureSimilarityParameters p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, n, channels) = ((int)block.shape[0], (int)(h * w), (int)features.shape[0]);
        var (height, width) = ((int)h, (int)w);
        var rowGaussian = Gaussian<T>(height, p.Sigma, 1.0);
        // The 1 / (2 pi sigma^2) normaliser (or the flat kernel 1 / (h w)) is folded into the column factor.
        var columnGaussian = Gaussian<T>(width, p.Sigma, p.Sigma is { } s ? 1 / (2 * Math.PI * s * s) : 1.0 / (h * w));
        var edge = new EdgeWeightLanes<T>(divisor, p);
        // Raw pointers stay valid: both tensors are alive and contiguous for the whole call.
        var featurePointer = TensorMemory.Pointer<T>(features);
        var blockPointer = TensorMemory.Pointer<T>(block);

        Parallel.For(0, rows, row =>
        {
            var cell = (int)first + row;
            var (yi, xi) = (cell / width, cell % width);
            var f = TensorMemory.Span<T>(featurePointer, 0, channels * n);
            var output = TensorMemory.Span<T>(blockPointer, (long)row * n, n);
            Span<T> own = stackalloc T[channels];
            for (var c = 0; c < channels; c++) own[c] = f[c * n + cell];
            var columns = columnGaussian.AsSpan(xi * width, width);
            var vectorSize = Vector<T>.Count;
            for (var yj = 0; yj < height; yj++)
            {
                var rowFactor = rowGaussian[yi * height + yj];
                var start = yj * width;
                var xj = 0;
                for (; xj <= width - vectorSize; xj += vectorSize)
                {
                    var distance = Vector<T>.Zero;
                    for (var c = 0; c < channels; c++)
                        distance = edge.Accumulate(distance, new Vector<T>(f.Slice(c * n + start + xj, vectorSize)) - new Vector<T>(own[c]));
                    (edge.Weight(distance) * rowFactor * new Vector<T>(columns.Slice(xj, vectorSize))).CopyTo(output.Slice(start + xj, vectorSize));
                }
                for (; xj < width; xj++)
                {
                    var distance = T.Zero;
                    for (var c = 0; c < channels; c++) distance = edge.Accumulate(distance, f[c * n + start + xj] - own[c]);
                    output[start + xj] = edge.Weight(distance) * rowFactor * columns[xj];
                }
            }
        });
    }

    /// <summary><c>G[i, j] = scale exp(-(i - j)^2 / (2 sigma^2))</c>, or <c>scale</c> everywhere without sigma; row-major size x size.</summary>
    internal static T[] Gaussian<T>(int size, double? sigma, double scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new T[size * size];
        for (var i = 0; i < size; i++)
            for (var j = 0; j < size; j++)
                g[i * size + j] = T.CreateChecked(sigma is { } s ? scale * Math.Exp(-(double)(i - j) * (i - j) / (2 * s * s)) : scale);
        return g;
    }
}
