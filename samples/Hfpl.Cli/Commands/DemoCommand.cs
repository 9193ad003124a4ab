using System.Globalization;
using System.CommandLine;
using System.Diagnostics;
using Hfpl.Cli.Options;
using Hfpl.Samples.Baselines;
using Hfpl.Samples.Experiments;

namespace Hfpl.Cli.Commands;

/// <summary><c>hfpl demo</c>: each baseline and its "++" variant with the same seeds on the same data, evaluated the same way.</summary>
public static class DemoCommand
{
    /// <summary>Declares the command and its action.</summary>
    public static Command Create()
    {
        var data = new DataOptions("an MSRC-layout or VOC 2012 folder, trained with the ImageNet-pretrained ResNet-18 " +
                                   "(default: the built-in synthetic data and a small CNN, about 4 minutes on 2 CPU cores)", required: false);
        var output = OptionFactory.Text("--out", "output folder: comparison.json, miou_vs_threshold.png, per variant pseudo_labels/, overlays/, model.bin",
            Path.Combine("out", "demo"));
        var baselines = OptionFactory.Text("--baseline", $"baselines, comma-separated ({string.Join(", ", WsssBaselines.Names)}); each is trained with and without the add-on", "cam");
        var seeds = OptionFactory.Text("--seeds", "seeds, comma-separated (instead of --seed); every variant is trained once per seed");
        var scales = OptionFactory.PositiveNumbers("--scales", "inference scales, relative to the base size", "0.5,1,1.5,2");
        var syntheticSize = OptionFactory.Int("--synthetic-size", "built-in data only: side of the generated images in pixels (objects scale with it)", 96, 32, 4096);
        var pretrainSteps = OptionFactory.Int("--pretrain-steps", "built-in data only: steps of the plain classifier the small CNN is first pretrained as", 450, 1, 1_000_000);
        var training = new TrainingOptionSet();
        var addOn = new AddOnOptionSet();
        var device = OptionFactory.Device();
        var command = new Command("demo", "Train each baseline and its \"++\" variant with the same seed on the same data, evaluate their pseudo-labels " +
                                          "(mIoU with the background-threshold sweep, contour F) and print one table.");
        foreach (var option in data.All.Concat([output, baselines, seeds, scales, pretrainSteps, syntheticSize, device]).Concat(training.All).Concat(addOn.All))
            command.Options.Add(option);
        command.SetAction(result =>
        {
            const string name = "demo";
            var folder = data.Folder(result, name);
            var synthetic = folder is null;
            var baselineNames = BaselineList(result.GetValue(baselines)!);
            // Each baseline's own steps and add-on settings (they differ on photographs); the first baseline's are the shared ones.
            var trainingPerBaseline = baselineNames.ToDictionary(b => b, b => training.Resolve(result, synthetic, name, b));
            var options = trainingPerBaseline[baselineNames[0]];
            var (backbone, stride) = training.BackboneChoice(result, name, synthetic ? "small" : "resnet18", synthetic ? 4 : 16);
            if (result.Given(seeds) && result.Given(training.Seed)) throw new UsageException("demo: give --seed or --seeds, not both");
            var baselineOptions = training.Baseline(result, synthetic, options.CropSize, baselineNames, name);
            var addOnPerBaseline = baselineNames.ToDictionary(b => b, b => addOn.Resolve(result, name, stride, synthetic, b));
            var settings = new ComparisonSettings
            {
                Baselines = baselineNames,
                Backbone = backbone,
                OutputStride = stride,
                Training = options,
                BaselineOptions = baselineOptions,
                AddOn = addOnPerBaseline[baselineNames[0]],
                TrainingPerBaseline = trainingPerBaseline,
                AddOnPerBaseline = addOnPerBaseline,
                Seeds = result.GetValue(seeds) is { } text ? SeedList(text) : [options.Seed],
                Scales = result.GetNumbers(scales),
                // The small CNN has no pretrained weights: it is pretrained as a plain classifier on other synthetic images
                // (another seed), so that both variants start from a backbone that already sees the classes, as with ImageNet.
                Pretraining = synthetic
                    ? (DataSource.Open(null, syntheticSeed: 1, syntheticSize: result.GetValue(syntheticSize)!.Value), options with { Steps = result.GetValue(pretrainSteps)!.Value, Seed = 1 })
                    : null,
            };
            var outputFolder = result.GetValue(output)!;
            settings = settings with { Device = result.ResolveDevice(device, name) };
            if (!synthetic && result.Given(syntheticSize)) throw new UsageException("demo: --synthetic-size applies to the built-in data, not to --data");
            var dataset = data.Open(result, name, folder, syntheticSize: result.GetValue(syntheticSize)!.Value);
            AddOnOptionSet.NoteWithoutBackground(dataset.Info, name, Console.Error);
            Console.WriteLine($"hfpl demo: {dataset.Info.Name}, {dataset.Count} images, {dataset.Info.NumLabels} classes; " +
                              $"{settings.Backbone} backbone, {PerBaseline(settings, b => settings.TrainingFor(b).Steps)} steps of {settings.Training.BatchSize} crops " +
                              $"of {settings.Training.CropSize} px, seeds {string.Join(",", settings.Seeds)}" +
                              (settings.Baselines.Any(b => settings.TrainingFor(b).MaxGradientNorm is not null)
                                  ? $"; gradient clipped to {PerBaseline(settings, b => settings.TrainingFor(b).MaxGradientNorm?.ToString("G4", CultureInfo.InvariantCulture) ?? "none")}" : "") +
                              $"; add-on {PerBaseline(settings, b => settings.AddOnFor(b))}" +
                              (settings.Baselines.Any(WsssBaselines.ReadsOptions) ? "; " + settings.BaselineOptions.Describe() : "") +
                              $"; output in {outputFolder}");
            var clock = Stopwatch.StartNew();
            var results = Comparison.Run(dataset, settings, outputFolder, Console.Error);
            ComparisonReport.WriteJson(Path.Combine(outputFolder, "comparison.json"), results, dataset.Info, dataset.Count, settings);
            var plotted = ComparisonReport.WriteCurvePlot(Path.Combine(outputFolder, "miou_vs_threshold.png"), results, $"{dataset.Info.Name}: pseudo-label mIoU");
            Console.WriteLine();
            Console.Write(ComparisonReport.Table(results));
            Console.WriteLine($"wall time {clock.Elapsed:hh\\:mm\\:ss}; wrote {Path.Combine(outputFolder, "comparison.json")}" +
                              (plotted ? $", {Path.Combine(outputFolder, "miou_vs_threshold.png")}" : " (no threshold curve: the data has no background class)") +
                              ", and pseudo_labels/ and overlays/ per variant");
            return 0;
        });
        return command;
    }

    /// <summary>"600" when every baseline has the same value, else "600 (cam), 1200 (seam)".</summary>
    static string PerBaseline<T>(ComparisonSettings settings, Func<string, T> value)
    {
        var values = settings.Baselines.Select(b => (Baseline: b, Text: $"{value(b)}")).ToList();
        return values.Select(v => v.Text).Distinct().Count() == 1 ? values[0].Text : string.Join(", ", values.Select(v => $"{v.Text} ({v.Baseline})"));
    }

    static IReadOnlyList<string> BaselineList(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.Length == 0 || names.Any(n => !WsssBaselines.Names.Contains(n)) || names.Distinct().Count() != names.Length)
            throw new UsageException($"demo: --baseline must be one or more of {string.Join(", ", WsssBaselines.Names)}, comma-separated, got '{text}'");
        return names;
    }

    static IReadOnlyList<int> SeedList(string text) =>
        text.Split(',').Select(s => int.TryParse(s, out var v) && v >= 0 ? v
            : throw new UsageException($"demo: --seeds must be a comma-separated list of non-negative whole numbers, got '{text}'")).ToList();
}
