using System.Collections.Concurrent;
using System.Numerics;
using Hfpl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Sampling;

/// <summary>
/// The CPU form of <see cref="InverseCdfSampler"/>, fused with the mass itself: for each row it computes
/// <c>mass = sigmoid(z) + eps</c> (or <c>p + eps</c>) with SIMD into a scratch row, sums it in blocks of 64, and
/// inverts the cumulative sum only around the S targets (block sums first, then one block). Rows run in parallel.
/// It consumes the same uniforms as <see cref="InverseCdfSampler"/> (float64, from the caller's generator, in the
/// same order), so a seed gives the same kind of draw on every path. Float64 sums of float32 masses within a
/// block are exact (the masses span at most 2^47 ulps of the smallest), so blocks agree with a sequential scan.
/// </summary>
internal static class FusedInverseCdfSampler
{
    const int Block = 64;

    /// <summary>Whether the fused path handles these maps: contiguous-able CPU float32 or float64.</summary>
    public static bool Supports(Tensor maps) => maps.device_type == DeviceType.CPU && maps.dtype is ScalarType.Float32 or ScalarType.Float64;

    /// <summary>Samples S grid indices per (image, channel) for channels <c>first .. C - 1</c>.</summary>
    /// <param name="maps">Logits (with <paramref name="sigmoid"/>) or probabilities <c>(B, C, h, w)</c>, CPU.</param>
    /// <param name="first">First channel sampled (1 when channel 0 is background).</param>
    /// <param name="sigmoid">True: the mass is <c>sigmoid(maps) + epsilon</c>; false: <c>maps + epsilon</c>.</param>
    /// <param name="epsilon">Probability floor.</param>
    /// <param name="samples">S.</param>
    /// <param name="generator">Source of the uniforms, or null for TorchSharp's default generator.</param>
    /// <returns>Indices <c>(B, C - first, S)</c>, int64, in [0, h w).</returns>
    public static Tensor Sample(Tensor maps, long first, bool sigmoid, double epsilon, long samples, Generator? generator)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var source = maps.contiguous();
        var (batch, channels, n) = (source.shape[0], source.shape[1], source.shape[2] * source.shape[3]);
        var k = channels - first;
        var rows = batch * k;
        var uniforms = (generator is null
            ? torch.rand([rows, samples], ScalarType.Float64)
            : torch.rand([rows, samples], ScalarType.Float64, generator.device, generator: generator).cpu()).contiguous();
        var indices = torch.empty([batch, k, samples], ScalarType.Int64);
        var job = new Job(TensorMemory.Pointer<double>(uniforms), TensorMemory.Pointer<long>(indices), (int)n, (int)samples, first, channels, k, sigmoid, epsilon);
        if (source.dtype == ScalarType.Float32) job.Run<float>(TensorMemory.Pointer<float>(source), rows);
        else job.Run<double>(TensorMemory.Pointer<double>(source), rows);
        return indices.MoveToOuterDisposeScope();
    }

    readonly record struct Job(nint Uniforms, nint Indices, int N, int Samples, long First, long Channels, long K, bool Sigmoid, double Epsilon)
    {
        public void Run<T>(nint source, long rows) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var job = this;
            // Ranges of rows per task; each task reuses one scratch row.
            Parallel.ForEach(Partitioner.Create(0L, rows, Math.Max(1, rows / (4 * Environment.ProcessorCount))), range =>
            {
                var mass = new T[job.N];
                var blockEnds = new double[(job.N + Block - 1) / Block];
                for (var row = range.Item1; row < range.Item2; row++)
                {
                    var (b, c) = (row / job.K, job.First + row % job.K);
                    var values = TensorMemory.Span<T>(source, (b * job.Channels + c) * job.N, job.N);
                    job.SampleRow(values, mass, blockEnds, TensorMemory.Span<double>(job.Uniforms, row * job.Samples, job.Samples),
                        TensorMemory.Span<long>(job.Indices, row * job.Samples, job.Samples));
                }
            });
        }

        void SampleRow<T>(Span<T> values, T[] mass, double[] blockEnds, Span<double> uniforms, Span<long> output) where T : unmanaged, IFloatingPointIeee754<T>
        {
            Mass(values, mass);
            var total = 0.0;
            for (var block = 0; block < blockEnds.Length; block++)
            {
                var end = Math.Min(N, (block + 1) * Block);
                var sum = 0.0;
                for (var i = block * Block; i < end; i++) sum += double.CreateChecked(mass[i]);
                blockEnds[block] = total += sum;
            }
            for (var s = 0; s < Samples; s++)
            {
                // The first index whose cumulative mass exceeds the target (searchsorted with right = true).
                var target = uniforms[s] * total;
                var block = 0;
                while (block < blockEnds.Length - 1 && !(blockEnds[block] > target)) block++;
                var cumulative = block == 0 ? 0.0 : blockEnds[block - 1];
                var (index, last) = (block * Block, Math.Min(N, (block + 1) * Block) - 1);
                while (index < last && !((cumulative += double.CreateChecked(mass[index])) > target)) index++;
                output[s] = index;
            }
        }

        void Mass<T>(Span<T> values, T[] mass) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var lanes = Vector<T>.Count;
            var eps = new Vector<T>(T.CreateChecked(Epsilon));
            var i = 0;
            for (; i <= N - lanes; i += lanes)
            {
                var v = new Vector<T>(values.Slice(i, lanes));
                (Sigmoid ? Vector<T>.One / (Vector<T>.One + Exp(-v)) + eps : v + eps).CopyTo(mass, i);
            }
            var epsilon = T.CreateChecked(Epsilon);
            for (; i < N; i++) mass[i] = (Sigmoid ? T.One / (T.One + T.Exp(-values[i])) : values[i]) + epsilon;
        }

        static Vector<T> Exp<T>(Vector<T> v) where T : unmanaged, IFloatingPointIeee754<T> =>
            typeof(T) == typeof(float) ? (Vector<T>)(object)Vector.Exp((Vector<float>)(object)v) : (Vector<T>)(object)Vector.Exp((Vector<double>)(object)v);
    }
}
