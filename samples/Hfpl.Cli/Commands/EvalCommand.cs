using System.CommandLine;
using Hfpl.Cli.Options;
using Hfpl.Evaluation;
using Hfpl.Samples.Data;
using Hfpl.Samples.Inference;

namespace Hfpl.Cli.Commands;

/// <summary><c>hfpl eval</c>: scores a folder of pseudo-label PNGs against a data folder's masks.</summary>
public static class EvalCommand
{
    /// <summary>Declares the command and its action.</summary>
    public static Command Create()
    {
        var data = new DataOptions("the folder with the ground-truth masks (MSRC layout or VOC 2012)", required: true);
        var predictions = OptionFactory.Text("--pred", "pseudo-label PNGs named like the images (class indices, 255 void)");
        predictions.Required = true;
        var command = new Command("eval", "Score pseudo-label PNGs against the masks of the images that have one: mIoU and contour F-score " +
                                          "(also against MSRC's precise masks_hq/ where present).");
        foreach (var option in data.All.Append(predictions)) command.Options.Add(option);
        command.SetAction(result =>
        {
            const string name = "eval";
            var folder = data.Folder(result, name)!;
            var predicted = result.GetValue(predictions)!;
            if (!Directory.Exists(predicted)) throw new UsageException($"eval: --pred folder '{predicted}' does not exist");
            var dataset = data.Open(result, name, folder);
            var info = dataset.Info;
            var confusion = new ConfusionMatrix(info.NumClasses, info.IgnoreIndex);
            var contour = new ContourScoring(info);
            var scored = 0;
            foreach (var sample in dataset)
            {
                if (!sample.HasMask) continue; // image-level labels only: nothing to score against
                var path = Path.Combine(predicted, sample.Id + ".png");
                if (!File.Exists(path)) throw new FileNotFoundException($"No pseudo-label '{path}' for image '{sample.Id}'.", path);
                var prediction = MaskFile.Read(path);
                if (prediction.Width != sample.Width || prediction.Height != sample.Height)
                    throw new InvalidDataException($"'{path}' is {prediction.Width}x{prediction.Height}, its image {sample.Width}x{sample.Height}.");
                if (prediction.Values.FirstOrDefault(v => v >= info.NumClasses && v != info.IgnoreIndex) is var bad && bad != 0)
                    throw new InvalidDataException($"'{path}': value {bad} is neither a class (0..{info.NumClasses - 1}) nor void ({info.IgnoreIndex}).");
                confusion.Add(prediction.Values, sample.Mask.Values);
                scored++;
                contour.Add(prediction, sample);
            }
            if (scored == 0) throw new InvalidDataException($"{folder}: no image has a mask, so there is nothing to score against.");
            Console.WriteLine($"{scored} images: mIoU {100 * confusion.MeanIoU():F2}, contour F (all / present classes) {contour.Masks}" +
                              (contour.Precise is { } hq ? $", against the {contour.PreciseImages} precise masks {hq}" : ""));
            return 0;
        });
        return command;
    }
}
