using TorchSharp;
using System.Diagnostics;
using Hfpl.Samples.Baselines;
using Hfpl.Samples.Data;
using Hfpl.Samples.Inference;
using Hfpl.Samples.Training;

namespace Hfpl.Samples.Experiments;

/// <summary>One trained and evaluated variant.</summary>
public sealed record VariantResult(ModelSpec Spec, int Seed, TrainingReport Training, PseudoLabelReport Evaluation, TimeSpan InferenceTime);

/// <summary>What a comparison trains: the baseline with and without the add-on, over one or more seeds.</summary>
public sealed record ComparisonSettings
{
    /// <summary>The baselines ("cam", "seam"); each is trained with and without the add-on.</summary>
    public IReadOnlyList<string> Baselines { get; init; } = ["cam"];
    /// <summary>The backbone ("small" or "resnet18").</summary>
    public string Backbone { get; init; } = "small";
    /// <summary>Backbone output stride.</summary>
    public int OutputStride { get; init; } = 8;
    /// <summary>The baselines' own hyper-parameters (the references' by default).</summary>
    public BaselineOptions BaselineOptions { get; init; } = new();
    /// <summary>The "++" variant's add-on hyper-parameters (the paper's by default).</summary>
    public AddOnSettings AddOn { get; init; } = new();
    /// <summary>Training settings; the seed is replaced by each of <see cref="Seeds"/>.</summary>
    public TrainingOptions Training { get; init; } = new();
    /// <summary>Training settings of the baselines that do not train with <see cref="Training"/> (such as SEAM's longer training on
    /// photographs); the seed is replaced as in <see cref="Training"/>.</summary>
    public IReadOnlyDictionary<string, TrainingOptions> TrainingPerBaseline { get; init; } = new Dictionary<string, TrainingOptions>();
    /// <summary>The add-on settings of the "++" variants that do not use <see cref="AddOn"/>.</summary>
    public IReadOnlyDictionary<string, AddOnSettings> AddOnPerBaseline { get; init; } = new Dictionary<string, AddOnSettings>();

    /// <summary>The training settings <paramref name="baseline"/> (and its "++" variant) train with.</summary>
    public TrainingOptions TrainingFor(string baseline) => TrainingPerBaseline.GetValueOrDefault(baseline, Training);

    /// <summary>The add-on settings of <paramref name="baseline"/>'s "++" variant.</summary>
    public AddOnSettings AddOnFor(string baseline) => AddOnPerBaseline.GetValueOrDefault(baseline, AddOn);
    /// <summary>Seeds; every variant is trained once per seed.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [0];
    /// <summary>Inference scales; null for 0.5, 1, 1.5, 2.</summary>
    public double[]? Scales { get; init; }
    /// <summary>Where the models train and infer; null for the CPU.</summary>
    public TorchSharp.torch.Device? Device { get; init; }
    /// <summary>Images that get a CAM overlay written (first seed only).</summary>
    public int Overlays { get; init; } = 12;

    /// <summary>
    /// For a backbone that has no pretrained weights (the small CNN): first train a plain CAM classifier on other
    /// images (these, with these options) and start every variant from its backbone, as a pretrained backbone would.
    /// Null: no pretraining.
    /// </summary>
    public (SegmentationDataset Data, TrainingOptions Options)? Pretraining { get; init; }
}

/// <summary>
/// Trains each baseline and its "++" variant with the same seed and data, and evaluates both the same way: the
/// experiment of the paper, at the size of this machine.
/// </summary>
public static class Comparison
{
    /// <summary>Runs every (seed, variant) pair; writes checkpoints, pseudo-labels and overlays under <paramref name="outputFolder"/>.</summary>
    public static IReadOnlyList<VariantResult> Run(SegmentationDataset dataset, ComparisonSettings settings, string outputFolder, TextWriter? log)
    {
        var data = dataset.ToList();
        var results = new List<VariantResult>();
        var pretrained = settings.Pretraining is { } pre ? Pretrain(settings, pre.Data, pre.Options, dataset.Info.NumLabels, log) : null;
        var backgroundClasses = (dataset as MsrcDataset)?.Map?.BackgroundClasses;
        var longSide = settings.Training.InferenceLongSide;
        foreach (var seed in settings.Seeds)
        foreach (var baseline in settings.Baselines)
        foreach (var addOn in new[] { false, true })
        {
            var spec = new ModelSpec(baseline, addOn, settings.Backbone, settings.OutputStride, dataset.Info.NumLabels, seed, addOn ? settings.AddOnFor(baseline) : null,
                backgroundClasses, longSide, settings.BaselineOptions.For(baseline));
            var folder = Path.Combine(outputFolder, $"{spec.DisplayName.ToLowerInvariant().Replace("+", "p")}-seed{seed}");
            Directory.CreateDirectory(folder);
            TorchSharp.torch.manual_seed(seed);
            using var model = spec.Create();
            if (pretrained is not null) model.Backbone.load_state_dict(pretrained);
            if (settings.Device is { } device) model.to(device);
            var checkpoint = Path.Combine(folder, "model.bin");
            var options = settings.TrainingFor(baseline) with { Seed = seed, CheckpointPath = checkpoint };
            var training = Trainer.Train(model, data, options, log, $"{spec.DisplayName} seed {seed}");
            spec.Save(checkpoint, Machine.Current());
            var clock = Stopwatch.StartNew();
            var writeOutputs = seed == settings.Seeds[0];
            // Contour F at every threshold of the sweep: each contour measure at its own best threshold, and the "++" variant at the
            // threshold its baseline (trained just before, same seed) was cut at.
            var baselineThreshold = addOn ? results.Last(r => r.Seed == seed && r.Spec.Baseline == baseline && !r.Spec.AddOn).Evaluation.Threshold : null;
            var evaluation = PseudoLabelEvaluation.Run(model, data, dataset.Info, settings.Scales,
                writeOutputs ? new InferenceOutputs(folder, settings.Overlays) : null, log, longSide,
                contourThresholds: dataset.Info.HasBackground ? PseudoLabelEvaluation.SweepThresholds : null);
            var atBaseline = baselineThreshold is { } common ? evaluation.ContourAt(common) : null;
            results.Add(new VariantResult(spec, seed, training, evaluation, clock.Elapsed));
            log?.WriteLine($"{spec.DisplayName} seed {seed}: mIoU {100 * evaluation.MeanIoU:F2}" +
                           (evaluation.BestThreshold is { } t ? $" at threshold {t:F2}" : "") +
                           $", contour F (all / present classes) {evaluation.ContourF}" +
                           (evaluation.PreciseContourF is { } hq ? $", precise masks {hq}" : "") +
                           $" | train {ProgressLine.Clock(training.Elapsed)}" +
                           (training.Clipping(options.MaxGradientNorm) is { } clipping ? $" ({clipping})" : "") +
                           $", infer {ProgressLine.Clock(clock.Elapsed)}" +
                           (atBaseline is { } point ? $" | at {baseline.ToUpperInvariant()}'s threshold {point.Threshold:F2}: contour F {point.ContourF}" +
                                                      (point.PreciseContourF is { } p ? $", precise masks {p}" : "") : ""));
        }
        return results;
    }

    /// <summary>Trains a plain CAM on the pretraining images and returns a copy of its backbone's weights.</summary>
    static Dictionary<string, TorchSharp.torch.Tensor> Pretrain(ComparisonSettings settings, SegmentationDataset data, TrainingOptions options, int classes, TextWriter? log)
    {
        if (data.Info.NumLabels != classes)
            throw new ArgumentException($"The pretraining data has {data.Info.NumLabels} classes, the data {classes}.", nameof(data));
        var spec = new ModelSpec(settings.Baselines[0], false, settings.Backbone, settings.OutputStride, classes, options.Seed);
        TorchSharp.torch.manual_seed(options.Seed);
        using var model = spec.Create();
        if (settings.Device is { } device) model.to(device);
        var report = Trainer.Train(model, data.ToList(), options, log, "pretrain backbone");
        log?.WriteLine($"pretrained the {settings.Backbone} backbone on {data.Count} other images ({options.Steps} steps, {ProgressLine.Clock(report.Elapsed)})");
        return model.Backbone.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().clone());
    }
}
