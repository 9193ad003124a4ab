using System.Diagnostics;
using Hfpl.Samples.Data;
using Hfpl.Samples.Inference;
using Hfpl.Samples.Training;

namespace Hfpl.Samples.Experiments;

/// <summary>One trained and evaluated variant.</summary>
public sealed record VariantResult(ModelSpec Spec, int Seed, TrainingReport Training, PseudoLabelReport Evaluation, TimeSpan InferenceTime);

/// <summary>What a comparison trains: the baseline with and without the add-on, over one or more seeds.</summary>
public sealed record ComparisonSettings
{
    /// <summary>The baseline ("cam").</summary>
    public string Baseline { get; init; } = "cam";
    /// <summary>The backbone ("small" or "resnet18").</summary>
    public string Backbone { get; init; } = "small";
    /// <summary>Backbone output stride.</summary>
    public int OutputStride { get; init; } = 8;
    /// <summary>Training settings; the seed is replaced by each of <see cref="Seeds"/>.</summary>
    public TrainingOptions Training { get; init; } = new();
    /// <summary>Seeds; every variant is trained once per seed.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [0];
    /// <summary>Inference scales; null for 0.5, 1, 1.5, 2.</summary>
    public double[]? Scales { get; init; }
    /// <summary>Images that get a CAM overlay written (first seed only).</summary>
    public int Overlays { get; init; } = 12;
}

/// <summary>
/// Trains a baseline and its "++" variant with the same seed and data, and evaluates both the same way: the
/// experiment of the paper, at the size of this machine.
/// </summary>
public static class Comparison
{
    /// <summary>Runs every (seed, variant) pair; writes checkpoints, pseudo-labels and overlays under <paramref name="outputFolder"/>.</summary>
    public static IReadOnlyList<VariantResult> Run(SegmentationDataset dataset, ComparisonSettings settings, string outputFolder, TextWriter? log)
    {
        var data = dataset.ToList();
        var results = new List<VariantResult>();
        foreach (var seed in settings.Seeds)
        foreach (var addOn in new[] { false, true })
        {
            var spec = new ModelSpec(settings.Baseline, addOn, settings.Backbone, settings.OutputStride, dataset.Info.NumLabels, seed);
            var folder = Path.Combine(outputFolder, $"{spec.DisplayName.ToLowerInvariant().Replace("+", "p")}-seed{seed}");
            Directory.CreateDirectory(folder);
            TorchSharp.torch.manual_seed(seed);
            using var model = spec.Create();
            var checkpoint = Path.Combine(folder, "model.bin");
            var training = Trainer.Train(model, data, settings.Training with { Seed = seed, CheckpointPath = checkpoint }, log, $"{spec.DisplayName} seed {seed}");
            spec.Save(checkpoint);
            var clock = Stopwatch.StartNew();
            var writeOutputs = seed == settings.Seeds[0];
            var evaluation = PseudoLabelEvaluation.Run(model, data, dataset.Info, settings.Scales,
                writeOutputs ? folder : null, settings.Overlays, log);
            results.Add(new VariantResult(spec, seed, training, evaluation, clock.Elapsed));
            log?.WriteLine($"{spec.DisplayName} seed {seed}: mIoU {100 * evaluation.MeanIoU:F2}, contour F {100 * evaluation.ContourF:F2}" +
                           (evaluation.PreciseContourF is { } hq ? $", contour F (precise masks) {100 * hq:F2}" : "") +
                           $" | train {training.Elapsed:mm\\:ss}, infer {clock.Elapsed:mm\\:ss}");
        }
        return results;
    }
}
