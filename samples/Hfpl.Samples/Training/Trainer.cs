using Hfpl.Samples.Baselines;
using Hfpl.Samples.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Hfpl.Samples.Training;

/// <summary>A training step whose loss is not finite: the weights are no longer usable, and the message says what to change.</summary>
public sealed class TrainingDivergedException(int step, IReadOnlyDictionary<string, double> losses) : Exception(
    $"training diverged at step {step}: the loss is not finite ({string.Join(", ", losses.Select(kv => $"{kv.Key} {kv.Value:G4}"))}); " +
    "lower --lr, or the add-on's --fsl-weight")
{
    /// <summary>The step (1-based) whose loss was not finite.</summary>
    public int Step { get; } = step;
}

/// <summary>What a training run reports: the mean of each loss term over the first and the last tenth of the steps, the wall time, and
/// on how many steps the gradient was scaled down to <see cref="TrainingOptions.MaxGradientNorm"/>.</summary>
public sealed record TrainingReport(IReadOnlyDictionary<string, double> FirstLosses, IReadOnlyDictionary<string, double> LastLosses, TimeSpan Elapsed,
    int ClippedSteps = 0)
{
    /// <summary>"gradient clipped to 10 on 4 steps" for a run trained with <paramref name="maxGradientNorm"/>; null when it was not clipped.</summary>
    public string? Clipping(double? maxGradientNorm) =>
        maxGradientNorm is { } norm ? FormattableString.Invariant($"gradient clipped to {norm:G4} on {ClippedSteps} steps") : null;
}

/// <summary>
/// Trains any <see cref="WsssBaseline"/> on image-level labels: augmented random batches, SGD with momentum and weight
/// decay, a poly learning-rate schedule with a higher rate for new layers, a progress line, checkpoints. Repeatable:
/// the seed fixes augmentation, batch order, dropout and sampling (CPU).
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/> in place.</summary>
    /// <param name="model">The baseline, with its add-on or without.</param>
    /// <param name="data">Training images with their labels (masks are not used).</param>
    /// <param name="options">Schedule, augmentation, seed, checkpoints.</param>
    /// <param name="progress">Where the progress line goes; null for silence.</param>
    /// <param name="title">Label of the progress line.</param>
    public static TrainingReport Train(WsssBaseline model, IReadOnlyList<SegmentationSample> data, TrainingOptions options,
        TextWriter? progress = null, string title = "train")
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors), nameof(options));
        if (data.Count == 0) throw new ArgumentException("data must contain at least one image.", nameof(data));
        var random = new Random(options.Seed);
        torch.manual_seed(options.Seed);

        var device = model.parameters().First().device;
        var images = data.Select(s => s.ImageTensor()).ToArray();
        var labels = data.Select(s => s.LabelTensor()).ToArray();
        var groups = new List<SGD.ParamGroup>();
        var pretrained = model.PretrainedParameters().ToList();
        if (pretrained.Count > 0) groups.Add(new SGD.ParamGroup(pretrained, new SGD.Options { LearningRate = options.LearningRate }));
        groups.Add(new SGD.ParamGroup(model.NewParameters(), new SGD.Options { LearningRate = options.LearningRate * options.NewLayerFactor }));
        using var optimizer = optim.SGD(groups, options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay);
        var baseRates = optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();

        var bar = progress is null ? null : new ProgressLine(title, options.Steps, progress);
        var history = new List<IReadOnlyDictionary<string, double>>();
        var order = new List<int>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var clipped = 0;
        model.train();
        try
        {
            for (var step = 0; step < options.Steps; step++)
            {
                using var scope = NewDisposeScope();
                var factor = Math.Pow(1 - (double)step / options.Steps, options.PolyPower);
                foreach (var (group, rate) in optimizer.ParamGroups.Zip(baseRates)) group.LearningRate = rate * factor;

                var batch = NextBatch(order, data.Count, options.BatchSize, random);
                var crops = batch.Select(i => Augmentation.Apply(images[i], options, random)).ToList();
                var x = stack(crops.Select(c => c.Image)).to(device);
                var valid = stack(crops.Select(c => c.Valid)).to(device);
                var y = stack(batch.Select(i => labels[i])).to(device);
                using var terms = model.TrainingLosses(x, y, valid);
                var total = terms.Total();
                if (!double.IsFinite(total.item<float>()))
                    throw new TrainingDivergedException(step + 1, terms.Values());
                optimizer.zero_grad();
                total.backward();
                if (options.MaxGradientNorm is { } maxNorm && torch.nn.utils.clip_grad_norm_(model.parameters(), maxNorm) > maxNorm)
                    clipped++;
                optimizer.step();

                var values = terms.Values();
                history.Add(values);
                bar?.Report(step + 1, values);
                if (options.CheckpointPath is { } path && options.CheckpointEvery > 0 && (step + 1) % options.CheckpointEvery == 0)
                    Save(model, path);
            }
        }
        finally
        {
            foreach (var t in images.Concat(labels)) t.Dispose();
            model.eval();
        }
        if (options.CheckpointPath is { } finalPath) Save(model, finalPath);
        var tenth = Math.Max(1, history.Count / 10);
        return new TrainingReport(Mean(history.Take(tenth)), Mean(history.Skip(history.Count - tenth)), clock.Elapsed, clipped);
    }

    /// <summary>Saves the model's weights (TorchSharp's format), creating the folder.</summary>
    public static void Save(WsssBaseline model, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        model.save(path);
    }

    /// <summary>Draws the next batch from a shuffled epoch order, reshuffling when it runs out.</summary>
    static int[] NextBatch(List<int> order, int count, int batchSize, Random random)
    {
        var batch = new int[batchSize];
        for (var i = 0; i < batchSize; i++)
        {
            if (order.Count == 0)
            {
                order.AddRange(Enumerable.Range(0, count));
                for (var j = order.Count - 1; j > 0; j--) { var k = random.Next(j + 1); (order[j], order[k]) = (order[k], order[j]); }
            }
            batch[i] = order[^1];
            order.RemoveAt(order.Count - 1);
        }
        return batch;
    }

    static IReadOnlyDictionary<string, double> Mean(IEnumerable<IReadOnlyDictionary<string, double>> steps)
    {
        var list = steps.ToList();
        return list[0].Keys.ToDictionary(k => k, k => list.Average(d => d[k]));
    }
}
