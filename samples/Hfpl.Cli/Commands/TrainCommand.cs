using TorchSharp;
using System.CommandLine;
using Hfpl.Cli.Options;
using Hfpl.Samples.Baselines;
using Hfpl.Samples.Data;
using Hfpl.Samples.Experiments;
using Hfpl.Samples.Training;

namespace Hfpl.Cli.Commands;

/// <summary><c>hfpl train</c>: one baseline (or its "++" variant) on a data folder, saved as a checkpoint and its JSON.</summary>
public static class TrainCommand
{
    /// <summary>Declares the command and its action.</summary>
    public static Command Create()
    {
        var data = new DataOptions("an MSRC-layout folder (images/, masks/, classes.json) or a VOC 2012 folder", required: true);
        var checkpoint = OptionFactory.Text("--checkpoint", "where to save the weights (FILE) and their description (FILE.json)");
        checkpoint.Required = true;
        var addon = OptionFactory.Flag("--addon", "train the \"++\" variant: importance sampling and the feature similarity loss added");
        var baseline = OptionFactory.Choice("--baseline", "the WSSS baseline", "cam", WsssBaselines.Names);
        var training = new TrainingOptionSet();
        var addOn = new AddOnOptionSet();
        var device = OptionFactory.Device();
        var command = new Command("train", "Train one baseline (with --addon: its \"++\" variant) and save FILE and FILE.json.");
        foreach (var option in data.All.Concat([checkpoint, addon, baseline, device]).Concat(training.All).Concat(addOn.All)) command.Options.Add(option);
        command.SetAction(result =>
        {
            const string name = "train";
            var folder = data.Folder(result, name)!;
            var (backbone, stride) = training.BackboneChoice(result, name, "resnet18");
            var baselineName = result.GetValue(baseline)!;
            var options = training.Resolve(result, synthetic: false, name, baselineName);
            var settings = addOn.Resolve(result, name, stride, synthetic: false, baselineName);
            var plus = result.GetValue(addon);
            if (!plus && addOn.FirstGiven(result) is { } stray)
                throw new UsageException($"train: {stray.Name} sets an add-on hyper-parameter; it needs --addon");
            var baselineOptions = training.Baseline(result, synthetic: false, options.CropSize, [baselineName], name);
            var on = result.ResolveDevice(device, name);
            var dataset = data.Open(result, name, folder);
            if (plus) AddOnOptionSet.NoteWithoutBackground(dataset.Info, name, Console.Error);
            var path = result.GetValue(checkpoint)!;
            var spec = new ModelSpec(baselineName, plus, backbone, stride, dataset.Info.NumLabels, options.Seed,
                plus ? settings : null, (dataset as MsrcDataset)?.Map?.BackgroundClasses, options.InferenceLongSide, baselineOptions.For(baselineName));
            TorchSharp.torch.manual_seed(options.Seed);
            using var model = spec.Create();
            model.to(on);
            var report = Trainer.Train(model, dataset.ToList(), options with { CheckpointPath = path }, Console.Error, spec.DisplayName);
            spec.Save(path, Machine.Current());
            Console.WriteLine($"{spec.DisplayName} ({spec.Describe()}): trained {options.Steps} steps in {report.Elapsed:hh\\:mm\\:ss}; " +
                              (report.Clipping(options.MaxGradientNorm) is { } clipping ? clipping + "; " : "") +
                              $"loss {string.Join(", ", report.LastLosses.Select(kv => $"{kv.Key} {kv.Value:F4}"))}; saved {path}");
            return 0;
        });
        return command;
    }
}
