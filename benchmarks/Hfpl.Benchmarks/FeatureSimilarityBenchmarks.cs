using BenchmarkDotNet.Attributes;
using Hfpl.Losses;
using Hfpl.Losses.FeatureSimilarity;
using static TorchSharp.torch;

namespace Hfpl.Benchmarks;

/// <summary>
/// The feature similarity loss at B = 8 and 21 prediction channels: the literal docs/method.md formula (dense pair
/// matrices, autograd) as the in-process baseline, the library's exact path, and its windowed path at radii 5, 10, 15;
/// forward and forward+backward. The literal formula is left out at 112 and above (its pair tensors need over 30 GB).
/// </summary>
[MemoryDiagnoser]
public class FeatureSimilarityBenchmarks
{
    const int Batch = 8, Channels = 21;
    Tensor features = null!, predictions = null!;

    /// <summary>Grid side h = w.</summary>
    [Params(28, 56, 112, 224)]
    public int Grid { get; set; }

    /// <summary>cpu, and cuda where available.</summary>
    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "cpu";

    public static IEnumerable<string> Devices() => BenchmarkDevice.Available();

    [GlobalSetup]
    public void Setup()
    {
        var device = BenchmarkDevice.Of(Device);
        using var generator = new Generator(0);
        // Blocky colour regions and smooth predictions, like resized photographs and CAMs.
        var coarse = rand([Batch, 3, Grid / 4, Grid / 4], generator: generator);
        features = coarse.repeat_interleave(4, 2).repeat_interleave(4, 3).to(device);
        var logits = nn.functional.interpolate(randn([Batch, Channels - 1, 7, 7], generator: generator), [Grid, Grid], mode: InterpolationMode.Bilinear, align_corners: true);
        using var labels = ones(Batch, Channels - 1);
        predictions = Hfpl.hfpl.binomial_predictions(logits, labels).to(device).detach().requires_grad_(true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        features.Dispose();
        predictions.Dispose();
    }

    void Run(Func<Tensor> compute, bool backward) => BenchmarkDevice.Run(Device, compute, backward);

    static readonly FeatureSimilarityParameters Defaults = new(Hfpl.Posterior.Binomial, 2.5, 5, 1, 2);

    bool LiteralFits => Grid <= 56;

    [Benchmark(Baseline = true)]
    public void LiteralForwardBackward()
    {
        if (!LiteralFits) return; // out of memory at 112 and above: reported as not measured
        Run(() => LiteralFeatureSimilarity.Loss(features, predictions, Defaults), true);
    }

    [Benchmark] public void LiteralForward() { if (LiteralFits) Run(() => LiteralFeatureSimilarity.Loss(features, predictions, Defaults), false); }
    [Benchmark] public void ExactForward() { if (Grid <= 112) Run(() => losses.feature_similarity_loss(features, predictions), false); }
    [Benchmark] public void ExactForwardBackward() { if (Grid <= 112) Run(() => losses.feature_similarity_loss(features, predictions), true); }
    [Benchmark] public void Window5Forward() => Run(() => losses.feature_similarity_loss(features, predictions, windowRadius: 5), false);
    [Benchmark] public void Window5ForwardBackward() => Run(() => losses.feature_similarity_loss(features, predictions, windowRadius: 5), true);
    [Benchmark] public void Window10Forward() => Run(() => losses.feature_similarity_loss(features, predictions, windowRadius: 10), false);
    [Benchmark] public void Window10ForwardBackward() => Run(() => losses.feature_similarity_loss(features, predictions, windowRadius: 10), true);
    [Benchmark] public void Window15Forward() => Run(() => losses.feature_similarity_loss(features, predictions, windowRadius: 15), false);
    [Benchmark] public void Window15ForwardBackward() => Run(() => losses.feature_similarity_loss(features, predictions, windowRadius: 15), true);
}
