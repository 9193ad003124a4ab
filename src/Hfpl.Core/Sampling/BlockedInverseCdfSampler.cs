using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Hfpl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Sampling;

/// <summary>
/// The CPU form of <see cref="InverseCdfSampler"/>. Instead of a cumulative sum over every cell and a search, one C# pass
/// per row sums the row in blocks of 16 cells in float64 (SIMD), keeps the running sum of the block sums, and inverts it
/// around the row's S targets while the row is in cache: a binary search over the blocks, then a scan of one block.
/// It runs on the calling thread: with rows split over .NET's thread pool, the pool's workers, still spinning after the
/// loop, took the cores from libtorch's own threads and made the next libtorch op (the sigmoid of the next call) 9x
/// slower (135 us to 1.2 ms at (8, 20, 56, 56) on 2 cores). It consumes the same float64 uniforms from the caller's
/// generator in the same order, and returns the same indices as <see cref="InverseCdfSampler"/> up to a target within rounding of
/// a cell boundary.
/// </summary>
internal static class BlockedInverseCdfSampler
{
    const int Block = 16;

    /// <summary>Whether this sampler handles the mass table: a CPU tensor of float32 or float64.</summary>
    public static bool Supports(Tensor mass) => mass.device_type == DeviceType.CPU && mass.dtype is ScalarType.Float32 or ScalarType.Float64;

    /// <inheritdoc cref="InverseCdfSampler.Sample"/>
    public static Tensor Sample(Tensor mass, long samples, Generator? generator)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var table = mass.contiguous();
        var (rows, n) = (table.shape[0], table.shape[1]);
        var uniforms = InverseCdfSampler.Uniforms(rows, samples, generator, table.device).contiguous();
        var indices = torch.empty([rows, samples], ScalarType.Int64);
        var job = new Job(TensorMemory.Pointer<double>(uniforms), TensorMemory.Pointer<long>(indices), (int)n, (int)samples);
        if (table.dtype == ScalarType.Float32) job.Run<float>(TensorMemory.Pointer<float>(table), rows);
        else job.Run<double>(TensorMemory.Pointer<double>(table), rows);
        return indices.MoveToOuterDisposeScope();
    }

    readonly record struct Job(nint Uniforms, nint Output, int N, int Samples)
    {
        public void Run<T>(nint table, long rows) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var cumulative = new double[(N + Block - 1) / Block];
            for (var row = 0L; row < rows; row++)
            {
                var mass = TensorMemory.Span<T>(table, row * N, N);
                CumulativeBlockSums(mass, cumulative);
                var u = TensorMemory.Span<double>(Uniforms, row * Samples, Samples);
                var result = TensorMemory.Span<long>(Output, row * Samples, Samples);
                for (var s = 0; s < Samples; s++) result[s] = Invert(mass, cumulative, u[s] * cumulative[^1]);
            }
        }
    }

    /// <summary>The running sum over blocks of 16 cells of the block sums, in float64.</summary>
    static void CumulativeBlockSums<T>(ReadOnlySpan<T> mass, Span<double> cumulative) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var running = 0.0;
        var full = mass.Length / Block;
        for (var b = 0; b < full; b++)
            cumulative[b] = running += BlockSum(mass.Slice(b * Block, Block));
        if (full < cumulative.Length) cumulative[full] = ScalarSum(mass[(full * Block)..], running);
    }

    /// <summary>
    /// The float64 sum of one full block. Sums of 16 float32 masses in [eps, 1 + eps] are exact in float64, so the blocks
    /// agree with the tensor sampler's cumulative sum whatever the order of the additions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double BlockSum<T>(ReadOnlySpan<T> block) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Vector.IsHardwareAccelerated && Vector<float>.Count <= Block)
        {
            var floats = MemoryMarshal.Cast<T, float>(block);
            var sum = Vector<double>.Zero;
            for (var i = 0; i < Block; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(floats[i..]), out var low, out var high);
                sum += low + high;
            }
            return Vector.Sum(sum);
        }
        if (typeof(T) == typeof(double) && Vector.IsHardwareAccelerated && Vector<double>.Count <= Block)
        {
            var doubles = MemoryMarshal.Cast<T, double>(block);
            var sum = Vector<double>.Zero;
            for (var i = 0; i < Block; i += Vector<double>.Count) sum += new Vector<double>(doubles[i..]);
            return Vector.Sum(sum);
        }
        return ScalarSum(block, 0.0);
    }

    /// <summary><paramref name="start"/> plus the cells, added one at a time in float64.</summary>
    static double ScalarSum<T>(ReadOnlySpan<T> cells, double start) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var total = start;
        foreach (var m in cells) total += double.CreateTruncating(m);
        return total;
    }

    /// <summary>The first index whose cumulative mass exceeds <paramref name="target"/> (searchsorted with right = true).</summary>
    static long Invert<T>(ReadOnlySpan<T> mass, ReadOnlySpan<double> cumulative, double target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (low, high) = (0, cumulative.Length - 1);
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (cumulative[middle] > target) high = middle; else low = middle + 1;
        }
        var running = low == 0 ? 0.0 : cumulative[low - 1];
        var (index, last) = (low * Block, Math.Min(mass.Length, (low + 1) * Block) - 1);
        // Rounding may leave the block's last cell to take the target.
        while (index < last && !((running += double.CreateTruncating(mass[index])) > target)) index++;
        return index;
    }
}
