using System.Diagnostics;
using Hfpl.Evaluation;
using Hfpl.Native;
using Hfpl.Samples.Baselines;
using Hfpl.Samples.Data;
using Hfpl.Samples.Experiments;
using Hfpl.Samples.Inference;
using Hfpl.Samples.Training;

namespace Hfpl.Cli;

/// <summary>The hfpl commands. Each parses its options, runs, and returns the exit code.</summary>
public static class Commands
{
    public const string Usage = """
        hfpl - train CAM baselines with and without the Hfpl add-on ("++") and compare their pseudo-labels

        usage: hfpl <command> [options]     (hfpl <command> --help for its options)

          demo    train CAM and CAM++ (or SEAM and SEAM++) with the same seed, evaluate both, print the comparison
                  (no options: the built-in synthetic data, about 3 minutes on 2 CPU cores)
          train   train one baseline on a data folder and save a checkpoint
          infer   write pseudo-labels and CAM overlays of a checkpoint, and score them if masks exist
          eval    score a folder of pseudo-label PNGs against a data folder's masks
          check   load libtorch and report what is wrong if it cannot
        """;

    static readonly string[] TrainingOptionNames = ["steps", "batch", "crop", "lr", "seed", "backbone", "output-stride"];
    static readonly string[] AddOnOptionNames = ["is-lambda", "fsl-weight", "fsl-sigma", "fsl-window", "fsl-features", "fsl-grid-factor"];
    const string AddOnHelp = """
              Add-on ("++") hyper-parameters, defaults from the paper: --is-lambda 0.2 (importance sampling share of the
              classification loss), --fsl-weight 1 (0 switches the feature similarity loss off), --fsl-sigma 5 (cells of the
              FSL grid; 40px gives it in input pixels; 'none' for the uniform kernel), --fsl-window R (windowed FSL of radius
              R cells; default exact), --fsl-features bilinear|area (how colours are resized to the FSL grid: bilinear as in
              the paper, or area averaging), --fsl-grid-factor 1 (the FSL runs on the CAM logits upsampled by this factor:
              2 gives a stride-16 network the paper's 8-pixel cells).
            """;
    const string DataHelp = """
              --background-classes NAME,... reads those classes of an MSRC-layout folder as class 0 "background" (default:
              classes.json's "background_classes", if any; 'none' reads every class as it is), e.g. MSRC-21 as 15 objects
              on background: --background-classes building,grass,tree,sky,water,road
            """;

    public static string Help(string command) => command switch
    {
        "demo" => """
            hfpl demo [--data DIR] [--out DIR] [--baseline cam|seam|cam,seam] [--seeds 0,1,2] [--steps N] [--batch N] [--crop N] [--lr X]
                      [--backbone small|resnet18] [--output-stride 4|8|16|32] [--scales 0.5,1,1.5,2] [--split train]
                      [--is-lambda X] [--fsl-weight X] [--fsl-sigma X|none] [--fsl-window R] [--fsl-features bilinear|area]
              Trains a baseline (CAM or SEAM, or both: --baseline cam,seam) and its "++" variant with the same seed on the same data and evaluates their pseudo-labels
              (mIoU with the background-threshold sweep, contour F-score). Without --data: the built-in
              synthetic data and a small CNN, first pretrained as a plain classifier for --pretrain-steps
              (450) on other synthetic images; with --data: an MSRC-layout or VOC 2012 folder and the
              ImageNet-pretrained ResNet-18. Writes to --out (default out/demo): comparison.json,
              miou_vs_threshold.png, and per variant pseudo_labels/, overlays/, model.bin.
              Training rescales each photograph so that its long side is --crop to 12/7 --crop pixels before cropping;
              inference runs --scales of a base size whose long side is the geometric mean of that range.
            """ + AddOnHelp + DataHelp,
        "train" => """
            hfpl train --data DIR --checkpoint FILE [--addon] [--baseline cam|seam] [--backbone small|resnet18]
                       [--output-stride 8|16|32] [--steps N] [--batch N] [--crop N] [--lr X] [--seed N] [--split train]
                       [--is-lambda X] [--fsl-weight X] [--fsl-sigma X|none] [--fsl-window R] [--fsl-features bilinear|area]
              Trains one baseline (with --addon: its "++" variant) and saves FILE and FILE.json. Each photograph is rescaled
              so that its long side is --crop to 12/7 --crop pixels, then cropped.
            """ + AddOnHelp + DataHelp,
        "infer" => """
            hfpl infer --data DIR --checkpoint FILE --out DIR [--scales 0.5,1,1.5,2] [--long-side N|native] [--split train]
                       [--background-classes NAME,...]
              Multi-scale, flipped CAMs of every image; writes pseudo_labels/*.png (palette), overlays/*.png and
              metrics.json (mIoU sweep and contour F-score against the masks). --scales multiply a base size whose long
              side is --long-side pixels (default: the one the checkpoint was trained for; 'native' for each image's own size).
              The data is read with the checkpoint's background classes unless --background-classes says otherwise.
            """,
        "eval" => """
            hfpl eval --data DIR --pred DIR [--split train] [--background-classes NAME,...]
              Scores pseudo-label PNGs named like the images (class indices, 255 void) against the masks:
              mIoU and contour F-score (also against MSRC's precise masks_hq/ where present).
            """,
        "check" => "hfpl check\n  Loads libtorch; on failure prints which native library failed and how to fix it.",
        _ => throw new UsageException($"unknown command '{command}' (commands: demo, train, infer, eval, check)"),
    };

    public static int Check()
    {
        TorchNative.EnsureLoaded();
        Console.WriteLine($"libtorch {TorchSharp.torch.__version__} loaded; CUDA available: {TorchSharp.torch.cuda.is_available()}");
        return 0;
    }

    public static int Demo(string[] args)
    {
        var options = new CommandLine("demo", args, ["data", "out", "seeds", "scales", "split", "pretrain-steps", "baseline", "background-classes", .. TrainingOptionNames, .. AddOnOptionNames], []);
        var data = options.Folder("data");
        var synthetic = data is null;
        var training = TrainingFrom(options, synthetic);
        var backbone = options.Choice("backbone", synthetic ? "small" : "resnet18", ModelSpec.Backbones);
        var stride = options.Int("output-stride", synthetic ? 4 : 16, 4, 32);
        var settings = new ComparisonSettings
        {
            Baselines = BaselineList(options),
            Backbone = backbone,
            OutputStride = stride,
            Training = training,
            AddOn = AddOnFrom(options, stride),
            Seeds = Seeds(options),
            Scales = options.Doubles("scales"),
            // The small CNN has no pretrained weights: it is pretrained as a plain classifier on other synthetic images
            // (another seed), so that both variants start from a backbone that already sees the classes, as with ImageNet.
            Pretraining = synthetic
                ? (DataSource.Open(null, syntheticSeed: 1), training with { Steps = options.Int("pretrain-steps", 450, 1, 1_000_000), Seed = 1 })
                : null,
        };
        CheckStride(options, settings.Backbone, settings.OutputStride);
        var output = options.String("out", Path.Combine("out", "demo"))!;
        TorchNative.EnsureLoaded();
        var dataset = OpenData(options, data);
        Console.WriteLine($"hfpl demo: {dataset.Info.Name}, {dataset.Count} images, {dataset.Info.NumLabels} classes; " +
                          $"{settings.Backbone} backbone, {settings.Training.Steps} steps of {settings.Training.BatchSize} crops of {settings.Training.CropSize} px, " +
                          $"seeds {string.Join(",", settings.Seeds)}; add-on {settings.AddOn}; output in {output}");
        var clock = Stopwatch.StartNew();
        var results = Comparison.Run(dataset, settings, output, Console.Error);
        ComparisonReport.WriteJson(Path.Combine(output, "comparison.json"), results, new { dataset = dataset.Info.Name, images = dataset.Count, settings });
        var plotted = ComparisonReport.WriteCurvePlot(Path.Combine(output, "miou_vs_threshold.png"), results, $"{dataset.Info.Name}: pseudo-label mIoU");
        Console.WriteLine();
        Console.Write(ComparisonReport.Table(results));
        Console.WriteLine($"wall time {clock.Elapsed:hh\\:mm\\:ss}; wrote {Path.Combine(output, "comparison.json")}" +
                          (plotted ? $", {Path.Combine(output, "miou_vs_threshold.png")}" : " (no threshold curve: the data has no background class)") +
                          ", and pseudo_labels/ and overlays/ per variant");
        return 0;
    }

    public static int Train(string[] args)
    {
        var options = new CommandLine("train", args, ["data", "checkpoint", "baseline", "split", "background-classes", .. TrainingOptionNames, .. AddOnOptionNames], ["addon"]);
        var data = options.Folder("data") ?? throw new UsageException("train: --data is required");
        var checkpoint = options.Required("checkpoint");
        var backbone = options.Choice("backbone", "resnet18", ModelSpec.Backbones);
        var stride = options.Int("output-stride", backbone == "small" ? 8 : 16, 4, 32);
        CheckStride(options, backbone, stride);
        var training = TrainingFrom(options, synthetic: false);
        var addOn = AddOnFrom(options, stride);
        if (!options.Has("addon") && AddOnOptionNames.FirstOrDefault(options.Has) is { } stray)
            throw new UsageException($"train: --{stray} sets an add-on hyper-parameter; it needs --addon");
        TorchNative.EnsureLoaded();
        var dataset = OpenData(options, data);
        var spec = new ModelSpec(options.Choice("baseline", "cam", ModelSpec.Baselines), options.Has("addon"), backbone, stride, dataset.Info.NumLabels, training.Seed,
            options.Has("addon") ? addOn : null, (dataset as MsrcDataset)?.Map?.BackgroundClasses, training.InferenceLongSide);
        TorchSharp.torch.manual_seed(training.Seed);
        using var model = spec.Create();
        var report = Trainer.Train(model, dataset.ToList(), training with { CheckpointPath = checkpoint }, Console.Error, spec.DisplayName);
        spec.Save(checkpoint);
        Console.WriteLine($"{spec.DisplayName}{(spec.AddOnSettings is { } a ? $" ({a})" : "")}: trained {training.Steps} steps in {report.Elapsed:hh\\:mm\\:ss}; " +
                          $"loss {string.Join(", ", report.LastLosses.Select(kv => $"{kv.Key} {kv.Value:F4}"))}; saved {checkpoint}");
        return 0;
    }

    public static int Infer(string[] args)
    {
        var options = new CommandLine("infer", args, ["data", "checkpoint", "out", "scales", "split", "background-classes", "long-side"], []);
        var data = options.Folder("data") ?? throw new UsageException("infer: --data is required");
        var checkpoint = options.Required("checkpoint");
        var output = options.Required("out");
        if (!File.Exists(checkpoint)) throw new UsageException($"infer: --checkpoint file '{checkpoint}' does not exist");
        var scales = options.Doubles("scales");
        TorchNative.EnsureLoaded();
        var longSide = options.String("long-side") == "native" ? null : options.Has("long-side") ? options.Int("long-side", 0, 8, 16384) : (int?)null;
        var spec = ModelSpec.Load(checkpoint);
        if (!options.Has("long-side")) longSide = spec.InferenceLongSide;
        var dataset = OpenData(options, data, spec.BackgroundClasses);
        if (dataset.Info.NumLabels != spec.Classes)
            throw new InvalidDataException($"checkpoint has {spec.Classes} classes, the data {dataset.Info.NumLabels} ({checkpoint}).");
        using var model = spec.Restore(checkpoint);
        var report = PseudoLabelEvaluation.Run(model, dataset.ToList(), dataset.Info, scales, output, overlays: int.MaxValue, progress: Console.Error, longSide: longSide);
        File.WriteAllText(Path.Combine(output, "metrics.json"), System.Text.Json.JsonSerializer.Serialize(report, new System.Text.Json.JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine($"{spec.DisplayName}: mIoU {100 * report.MeanIoU:F2}" + (report.BestThreshold is { } t ? $" at threshold {t:F2}" : "") +
                          $", contour F (all / present classes) {report.ContourF}" + (report.PreciseContourF is { } hq ? $", precise masks {hq}" : "") +
                          $"; wrote {output}");
        return 0;
    }

    public static int Eval(string[] args)
    {
        var options = new CommandLine("eval", args, ["data", "pred", "split", "background-classes"], []);
        var data = options.Folder("data") ?? throw new UsageException("eval: --data is required");
        var predictions = options.Folder("pred") ?? throw new UsageException("eval: --pred is required");
        var dataset = OpenData(options, data);
        var info = dataset.Info;
        var confusion = new ConfusionMatrix(info.NumClasses, info.IgnoreIndex);
        var foreground = Enumerable.Range(0, info.NumLabels).Select(info.LabelToClass);
        var contour = new ContourFScore(info.NumClasses, foreground, info.IgnoreIndex);
        var precise = new ContourFScore(info.NumClasses, foreground, info.IgnoreIndex);
        var preciseImages = 0;
        foreach (var sample in dataset)
        {
            var path = Path.Combine(predictions, sample.Id + ".png");
            if (!File.Exists(path)) throw new FileNotFoundException($"No pseudo-label '{path}' for image '{sample.Id}'.", path);
            var prediction = MaskFile.Read(path);
            if (prediction.Width != sample.Width || prediction.Height != sample.Height)
                throw new InvalidDataException($"'{path}' is {prediction.Width}x{prediction.Height}, its image {sample.Width}x{sample.Height}.");
            if (prediction.Values.FirstOrDefault(v => v >= info.NumClasses && v != info.IgnoreIndex) is var bad && bad != 0)
                throw new InvalidDataException($"'{path}': value {bad} is neither a class (0..{info.NumClasses - 1}) nor void ({info.IgnoreIndex}).");
            confusion.Add(prediction.Values, sample.Mask.Values);
            contour.Add(prediction.Values, sample.Mask.Values, sample.Height, sample.Width);
            if (sample.PreciseMask is { } hq)
            {
                precise.Add(prediction.Values, hq.Values, sample.Height, sample.Width);
                preciseImages++;
            }
        }
        Console.WriteLine($"{dataset.Count} images: mIoU {100 * confusion.MeanIoU():F2}, contour F (all / present classes) {ContourScores.Of(contour)}" +
                          (preciseImages > 0 ? $", against the {preciseImages} precise masks {ContourScores.Of(precise)}" : ""));
        return 0;
    }

    static TrainingOptions TrainingFrom(CommandLine options, bool synthetic)
    {
        var crop = options.Int("crop", synthetic ? 96 : 224, 16, 4096);
        return new()
        {
            Steps = options.Int("steps", synthetic ? 300 : 600, 1, 1_000_000),
            BatchSize = options.Int("batch", synthetic ? 16 : 8, 1, 1024),
            CropSize = crop,
            // Photographs of any size: the long side follows the crop (the reference's 448-768 for 448). The synthetic
            // images are all 96 pixels, and the demo keeps the relative 0.7-1.3 its numbers were measured with.
            LongSideRange = synthetic ? null : TrainingOptions.LongSideForCrop(crop),
            LearningRate = options.Double("lr", 0.01, 1e-6, 10),
            Seed = options.Int("seed", 0, 0, int.MaxValue),
        };
    }

    /// <summary>Opens --data with --split and --background-classes (else <paramref name="defaultBackground"/>), naming the option at fault.</summary>
    static SegmentationDataset OpenData(CommandLine options, string? data, IReadOnlyList<string>? defaultBackground = null)
    {
        var background = options.String("background-classes") switch
        {
            "none" => [],
            { } text => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            null => defaultBackground,
        };
        try
        {
            return DataSource.Open(data, options.String("split"), backgroundClasses: background);
        }
        catch (ArgumentException e) when (e.ParamName is "split" or "backgroundClasses" or "path")
        {
            var option = e.ParamName switch { "split" => "--split", "path" => "--data", _ => "--background-classes" };
            throw new UsageException($"{options.Command}: {option}: {e.Message.Split(" (Parameter")[0]}");
        }
    }

    static IReadOnlyList<string> BaselineList(CommandLine options)
    {
        var text = options.String("baseline", "cam")!;
        var names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.Length == 0 || names.Any(n => !ModelSpec.Baselines.Contains(n)) || names.Distinct().Count() != names.Length)
            throw new UsageException($"{options.Command}: --baseline must be one or more of {string.Join(", ", ModelSpec.Baselines)}, comma-separated, got '{text}'");
        return names;
    }

    static AddOnSettings AddOnFrom(CommandLine options, int outputStride)
    {
        var factor = options.Int("fsl-grid-factor", 1, 1, 16);
        double? sigma = options.String("fsl-sigma") switch
        {
            "none" => null,
            { } text when text.EndsWith("px", StringComparison.Ordinal) =>
                double.TryParse(text[..^2], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var px) && px > 0 && double.IsFinite(px)
                    ? Hfpl.Losses.losses.sigma_in_cells(px, outputStride, factor)
                    : throw new UsageException($"{options.Command}: --fsl-sigma must be a positive number of cells, a number of pixels such as 40px, or none, got '{text}'"),
            { } text when !double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) =>
                throw new UsageException($"{options.Command}: --fsl-sigma must be a positive number of cells, a number of pixels such as 40px, or none, got '{text}'"),
            _ => options.Double("fsl-sigma", 5, 1e-3, 1e6),
        };
        return new(
            Lambda: options.Double("is-lambda", 0.2, 0, 1),
            FslWeight: options.Double("fsl-weight", 1.0, 0, 1000),
            Sigma: sigma,
            WindowRadius: options.Has("fsl-window") ? options.Int("fsl-window", 0, 1, 4096) : null,
            Features: options.Choice("fsl-features", "bilinear", "bilinear", "area") == "area" ? Hfpl.Losses.FeatureResize.Area : Hfpl.Losses.FeatureResize.Bilinear,
            GridFactor: factor);
    }

    static IReadOnlyList<int> Seeds(CommandLine options)
    {
        if (options.Has("seeds") && options.Has("seed")) throw new UsageException($"{options.Command}: give --seed or --seeds, not both");
        if (options.String("seeds") is not { } text) return [options.Int("seed", 0, 0, int.MaxValue)];
        return text.Split(',').Select(s => int.TryParse(s, out var v) && v >= 0 ? v
            : throw new UsageException($"{options.Command}: --seeds must be a comma-separated list of non-negative whole numbers, got '{text}'")).ToList();
    }

    static void CheckStride(CommandLine options, string backbone, int stride)
    {
        if (backbone == "small" && stride is not (4 or 8)) throw new UsageException($"{options.Command}: the small backbone has output stride 4 or 8, got --output-stride {stride}");
        if (backbone == "resnet18" && stride is not (8 or 16 or 32)) throw new UsageException($"{options.Command}: the resnet18 backbone has output stride 8, 16 or 32, got --output-stride {stride}");
    }
}
