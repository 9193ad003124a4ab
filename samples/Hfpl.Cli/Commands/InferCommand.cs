using TorchSharp;
using System.CommandLine;
using Hfpl.Cli.Options;
using Hfpl.Samples.Data;
using Hfpl.Samples.Experiments;
using Hfpl.Samples.Inference;

namespace Hfpl.Cli.Commands;

/// <summary><c>hfpl infer</c>: multi-scale CAMs of a checkpoint, pseudo-labels, overlays and (with masks) scores.</summary>
public static class InferCommand
{
    /// <summary>Declares the command and its action.</summary>
    public static Command Create()
    {
        var data = new DataOptions("the folder to infer on: MSRC layout (images/, optional masks/, classes.json or labels.csv) or VOC 2012", required: true);
        var checkpoint = OptionFactory.Text("--checkpoint", "a checkpoint written by 'hfpl train' (FILE and FILE.json)");
        checkpoint.Required = true;
        var output = OptionFactory.Text("--out", "output folder: pseudo_labels/NAME.png (class indices, the dataset's palette), overlays/NAME.png, " +
                                                 "cams/NAME.npy and cams/NAME.keys.npy, metrics.json");
        output.Required = true;
        var scales = OptionFactory.PositiveNumbers("--scales", "inference scales, relative to the base size", "0.5,1,1.5,2");
        var longSide = OptionFactory.Text("--long-side", "base size: the long side in pixels at scale 1, or 'native' for each image's own size " +
                                                        "(default: the size the checkpoint was trained for)");
        var threshold = OptionFactory.Double("--threshold", "background threshold for the pseudo-labels (default: the best of the sweep over the " +
                                                           $"images with masks, {PseudoLabelEvaluation.DefaultThreshold} when none has one)", null, 0, 1);
        var contourThresholds = OptionFactory.UnitNumbers("--contour-thresholds", "also score contour F of the pseudo-labels decoded at " +
            "each of these background thresholds (metrics.json 'contourCurve'), e.g. 0.1,0.15,0.2: to compare two models' contours at a common " +
            "threshold, since each one's mIoU-best threshold also moves its contours");
        var contourSweep = OptionFactory.Flag("--contour-sweep", "also score contour F at every threshold of the mIoU sweep (0.00..0.59) and report " +
            "each contour measure at its own best threshold (metrics.json 'bestContourF'), as mIoU is reported at its best; about an eighth more inference time on MSRC-sized images");
        var shard = OptionFactory.Text("--shard", "i/n: process only shard i of n (the images at positions i, i+n, i+2n, ... of the dataset's order); " +
                                                  "the n shards hold every image once, and their output folders merge by copying");
        var noCams = OptionFactory.Flag("--no-cams", "do not write cams/*.npy");
        var overlays = OptionFactory.Int("--overlays", "how many images (the first ones) get an overlay figure (default: all)", null, 0, int.MaxValue);
        var device = OptionFactory.Device();
        var command = new Command("infer", "Pseudo-labels of every image from multi-scale, flipped CAMs: PNGs, overlays and the CAMs as .npy (float32, the " +
                                           "image's labelled classes, their class indices in NAME.keys.npy). Images without masks (a labels file) get no " +
                                           "score; the images with masks are scored (mIoU sweep, contour F) in metrics.json. The data is read with the " +
                                           "checkpoint's background classes unless --background-classes says otherwise.");
        foreach (var option in data.All.Concat([checkpoint, output, scales, longSide, threshold, contourThresholds, contourSweep, shard, noCams, overlays, device])) command.Options.Add(option);
        command.SetAction(result =>
        {
            const string name = "infer";
            var folder = data.Folder(result, name)!;
            var path = result.GetValue(checkpoint)!;
            var outputFolder = result.GetValue(output)!;
            if (!File.Exists(path)) throw new UsageException($"infer: --checkpoint file '{path}' does not exist");
            int? side = result.GetValue(longSide) switch
            {
                null => null,
                "native" => null,
                var text when int.TryParse(text, out var n) && n is >= 8 and <= 16384 => n,
                var text => throw new UsageException($"infer: --long-side must be a whole number of pixels in 8..16384 or 'native', got '{text}'"),
            };
            Shard part;
            try { part = result.GetValue(shard) is { } text ? Shard.Parse(text) : Shard.All; }
            catch (FormatException e) { throw new UsageException($"infer: --shard: {e.Message}"); }
            var on = result.ResolveDevice(device, name);
            var (spec, trainedOn) = ModelSpec.Read(path);
            if (!result.Given(longSide)) side = spec.InferenceLongSide;
            var dataset = data.Open(result, name, folder, spec.BackgroundClasses);
            var extraThresholds = (result.GetNumbers(contourThresholds) ?? [])
                .Concat(result.GetValue(contourSweep) ? PseudoLabelEvaluation.SweepThresholds : []).Distinct().Order().ToList();
            if (extraThresholds.Count > 0 && !dataset.Info.HasBackground)
                throw new UsageException($"infer: {(result.GetValue(contourSweep) ? "--contour-sweep" : "--contour-thresholds")} needs data with a background " +
                                         "class (or --background-classes); this data has none");
            if (dataset.Info.NumLabels != spec.Classes)
                throw new InvalidDataException($"checkpoint has {spec.Classes} classes, the data {dataset.Info.NumLabels} ({path}).");
            using var model = spec.Restore(path);
            model.to(on);
            var images = new DatasetView(dataset, part.Positions(dataset.Count).ToArray());
            var report = PseudoLabelEvaluation.Run(model, images, dataset.Info, result.GetNumbers(scales),
                new InferenceOutputs(outputFolder, result.GetValue(overlays) ?? int.MaxValue, Cams: !result.GetValue(noCams)),
                Console.Error, side, result.GetValue(threshold), extraThresholds);
            Directory.CreateDirectory(outputFolder);
            MetricsJson.WriteInference(Path.Combine(outputFolder, "metrics.json"), path, spec, dataset.Info, part, result.GetNumbers(scales), side, report,
                trainedOn, Machine.Current());
            var where = part.Count > 1 ? $" (shard {part}: {images.Count} of {dataset.Count} images)" : "";
            Console.WriteLine(report.ScoredImages == 0
                ? $"{spec.DisplayName}: {report.Images} images{where}, none with a mask: pseudo-labels" +
                  (report.Threshold is { } u ? $" at threshold {u:F2}" : "") + $", nothing scored; wrote {outputFolder}"
                : $"{spec.DisplayName}: {report.Images} images{where}, {report.ScoredImages} scored: mIoU {100 * report.MeanIoU:F2}" +
                  (report.BestThreshold is { } t ? $" at threshold {t:F2}" : "") +
                  $", contour F (all / present classes) {report.ContourF}" + (report.PreciseContourF is { } hq ? $", precise masks {hq}" : "") +
                  (ContourOptimum.Of(report) is { } best ? $"; at each one's best threshold: contour F {best.ContourF} ({best.Thresholds})" +
                                                          (best.PreciseContourF is { } b ? $", precise masks {b} ({best.PreciseThresholds})" : "") : "") +
                  $"; wrote {outputFolder}");
            return 0;
        });
        return command;
    }
}
