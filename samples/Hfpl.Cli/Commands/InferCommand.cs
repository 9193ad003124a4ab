using System.CommandLine;
using System.Text.Json;
using Hfpl.Cli.Options;
using Hfpl.Native;
using Hfpl.Samples.Experiments;
using Hfpl.Samples.Inference;

namespace Hfpl.Cli.Commands;

/// <summary><c>hfpl infer</c>: multi-scale CAMs of a checkpoint, pseudo-labels, overlays and (with masks) scores.</summary>
public static class InferCommand
{
    /// <summary>Declares the command and its action.</summary>
    public static Command Create()
    {
        var data = new DataOptions("the folder to infer on (MSRC layout or VOC 2012)", required: true);
        var checkpoint = OptionFactory.Text("--checkpoint", "a checkpoint written by 'hfpl train' (FILE and FILE.json)");
        checkpoint.Required = true;
        var output = OptionFactory.Text("--out", "output folder: pseudo_labels/*.png (palette), overlays/*.png, metrics.json");
        output.Required = true;
        var scales = OptionFactory.PositiveNumbers("--scales", "inference scales, relative to the base size", "0.5,1,1.5,2");
        var longSide = OptionFactory.Text("--long-side", "base size: the long side in pixels at scale 1, or 'native' for each image's own size " +
                                                        "(default: the size the checkpoint was trained for)");
        var command = new Command("infer", "Multi-scale, flipped CAMs of every image; writes pseudo-labels, overlays and metrics.json " +
                                           "(mIoU sweep and contour F against the masks). The data is read with the checkpoint's background " +
                                           "classes unless --background-classes says otherwise.");
        foreach (var option in data.All.Concat([checkpoint, output, scales, longSide])) command.Options.Add(option);
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
            TorchNative.EnsureLoaded();
            var spec = ModelSpec.Load(path);
            if (!result.Given(longSide)) side = spec.InferenceLongSide;
            var dataset = data.Open(result, name, folder, spec.BackgroundClasses);
            if (dataset.Info.NumLabels != spec.Classes)
                throw new InvalidDataException($"checkpoint has {spec.Classes} classes, the data {dataset.Info.NumLabels} ({path}).");
            using var model = spec.Restore(path);
            var report = PseudoLabelEvaluation.Run(model, dataset.ToList(), dataset.Info, result.GetValue(scales), outputFolder,
                overlays: int.MaxValue, progress: Console.Error, longSide: side);
            File.WriteAllText(Path.Combine(outputFolder, "metrics.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions
            {
                WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
            }));
            Console.WriteLine($"{spec.DisplayName}: mIoU {100 * report.MeanIoU:F2}" + (report.BestThreshold is { } t ? $" at threshold {t:F2}" : "") +
                              $", contour F (all / present classes) {report.ContourF}" + (report.PreciseContourF is { } hq ? $", precise masks {hq}" : "") +
                              $"; wrote {outputFolder}");
            return 0;
        });
        return command;
    }
}
