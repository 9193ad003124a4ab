using BenchmarkDotNet.Attributes;
using static TorchSharp.torch;

namespace Hfpl.Benchmarks;

/// <summary>
/// Global average pooling, global max pooling and importance sampling pooling (binomial, multinomial), forward and
/// forward+backward, at VOC-like (8, 20, 56, 56) and COCO-like (16, 80, 64, 64) CAM sizes with S = 10.
/// </summary>
[MemoryDiagnoser]
public class PoolingBenchmarks
{
    Tensor logits = null!;
    Tensor logitsWithBackground = null!;
    Generator generator = null!;
    Tensor fixedIndices = null!;

    /// <summary>(B, K, h, w) as "B,K,h,w".</summary>
    [Params("8,20,56,56", "16,80,64,64")]
    public string Shape { get; set; } = "";

    /// <summary>cpu, and cuda where available.</summary>
    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "cpu";

    public static IEnumerable<string> Devices() => BenchmarkDevice.Available();

    [GlobalSetup]
    public void Setup()
    {
        var s = Shape.Split(',').Select(long.Parse).ToArray();
        var device = BenchmarkDevice.Of(Device);
        logits = randn(s, device: device).requires_grad_(true);
        logitsWithBackground = randn([s[0], s[1] + 1, s[2], s[3]], device: device).requires_grad_(true);
        generator = new Generator(0);
        using (no_grad()) fixedIndices = Hfpl.hfpl.importance_sampling_indices(logits, 10, generator: generator);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        logits.Dispose();
        logitsWithBackground.Dispose();
        generator.Dispose();
        fixedIndices.Dispose();
    }

    void Run(Func<Tensor> compute, bool backward) => BenchmarkDevice.Run(Device, compute, backward);

    [Benchmark(Baseline = true)] public void GapForward() => Run(() => logits.mean([2, 3]), false);
    [Benchmark] public void GapForwardBackward() => Run(() => logits.mean([2, 3]), true);
    [Benchmark] public void GmpForward() => Run(() => logits.amax([2, 3]), false);
    [Benchmark] public void GmpForwardBackward() => Run(() => logits.amax([2, 3]), true);
    /// <summary>The posterior alone (sigmoid into a new tensor): a floor for any sampler that reads it.</summary>
    [Benchmark] public void SigmoidForward() => Run(() => sigmoid(logits), false);
    /// <summary>Breakdown, part 1: the binomial draw alone (argument checks, sigmoid, p + eps, the sampler), no gather.</summary>
    [Benchmark] public void BinomialDrawOnly() => Run(() => Hfpl.hfpl.importance_sampling_indices(logits, 10, generator: generator), false);
    /// <summary>Breakdown, part 2: gathering at fixed indices, forward+backward (what pooling adds once the draw is made).</summary>
    [Benchmark] public void GatherForwardBackward() => Run(() => logits.flatten(2).gather(2, fixedIndices), true);
    [Benchmark] public void BinomialForward() => Run(() => Hfpl.hfpl.importance_sampling_pool(logits, 10, generator: generator), false);
    [Benchmark] public void BinomialForwardBackward() => Run(() => Hfpl.hfpl.importance_sampling_pool(logits, 10, generator: generator), true);
    [Benchmark] public void MultinomialForward() =>
        Run(() => Hfpl.hfpl.importance_sampling_pool(logitsWithBackground, 10, Hfpl.Posterior.Multinomial, hasBackground: true, generator: generator), false);
    [Benchmark] public void MultinomialForwardBackward() =>
        Run(() => Hfpl.hfpl.importance_sampling_pool(logitsWithBackground, 10, Hfpl.Posterior.Multinomial, hasBackground: true, generator: generator), true);
}
