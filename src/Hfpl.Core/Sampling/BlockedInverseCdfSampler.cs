using System.Numerics;
using Hfpl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Sampling;

/// <summary>
/// The CPU form of <see cref="InverseCdfSampler"/>. Instead of a cumulative sum over every cell and a search, it sums
/// each row in blocks of 16 cells in float64 (one vectorised libtorch reduction), takes the cumulative sum of the block
/// sums only, and inverts it around the S targets in C#: a binary search over the blocks, then a scan of one block.
/// It consumes the same float64 uniforms from the caller's generator in the same order, and
/// returns the same indices as <see cref="InverseCdfSampler"/> up to a target within rounding of a cell boundary.
/// </summary>
internal static class BlockedInverseCdfSampler
{
    const int Block = 16;
    const long ChunkElements = 1L << 17;

    /// <summary>Whether this sampler handles the mass table: a CPU tensor of float32 or float64.</summary>
    public static bool Supports(Tensor mass) => mass.device_type == DeviceType.CPU && mass.dtype is ScalarType.Float32 or ScalarType.Float64;

    /// <inheritdoc cref="InverseCdfSampler.Sample"/>
    public static Tensor Sample(Tensor mass, long samples, Generator? generator)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var table = mass.contiguous();
        var (rows, n) = (table.shape[0], table.shape[1]);
        var full = n / Block * Block;
        // Float64 sums of 16 float32 masses are exact, so the blocks agree with the tensor sampler's cumulative sum.
        // libtorch converts a reduction's whole input to float64 first, so rows go in chunks of about 1 MB of float64:
        // one 40 MB conversion costs ten times more than the sums (page faults on a fresh allocation).
        var blocks = (n + Block - 1) / Block;
        var blockSums = torch.empty([rows, blocks], ScalarType.Float64);
        var chunk = Math.Max(1, ChunkElements / n);
        for (long r = 0; r < rows; r += chunk)
        {
            using var chunkScope = torch.NewDisposeScope();
            var count = Math.Min(chunk, rows - r);
            var part = table.narrow(0, r, count);
            var sums = blockSums.narrow(0, r, count);
            if (full > 0) sums.narrow(1, 0, full / Block).copy_(part.narrow(1, 0, full).view(count, full / Block, Block).sum(-1, type: ScalarType.Float64));
            if (full < n) sums.narrow(1, blocks - 1, 1).copy_(part.narrow(1, full, n - full).sum(1, keepdim: true, type: ScalarType.Float64));
        }
        var cumulative = blockSums.cumsum(1).contiguous();
        var uniforms = InverseCdfSampler.Uniforms(rows, samples, generator, table.device).contiguous();
        var indices = torch.empty([rows, samples], ScalarType.Int64);
        var job = new Job(TensorMemory.Pointer<double>(cumulative), (int)cumulative.shape[1], TensorMemory.Pointer<double>(uniforms),
            TensorMemory.Pointer<long>(indices), (int)n, (int)samples);
        if (table.dtype == ScalarType.Float32) job.Run<float>(TensorMemory.Pointer<float>(table), rows);
        else job.Run<double>(TensorMemory.Pointer<double>(table), rows);
        return indices.MoveToOuterDisposeScope();
    }

    readonly record struct Job(nint Cumulative, int Blocks, nint Uniforms, nint Output, int N, int Samples)
    {
        public void Run<T>(nint table, long rows) where T : unmanaged, IFloatingPointIeee754<T>
        {
            // One thread: waking the pool's threads costs more than the few cells each draw reads.
            for (var row = 0L; row < rows; row++)
            {
                var mass = TensorMemory.Span<T>(table, row * N, N);
                var cumulative = TensorMemory.Span<double>(Cumulative, row * Blocks, Blocks);
                var u = TensorMemory.Span<double>(Uniforms, row * Samples, Samples);
                var result = TensorMemory.Span<long>(Output, row * Samples, Samples);
                for (var s = 0; s < Samples; s++) result[s] = Invert(mass, cumulative, u[s] * cumulative[^1]);
            }
        }
    }

    /// <summary>The first index whose cumulative mass exceeds <paramref name="target"/> (searchsorted with right = true).</summary>
    static long Invert<T>(Span<T> mass, Span<double> cumulative, double target) where T : unmanaged, IFloatingPointIeee754<T>
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
