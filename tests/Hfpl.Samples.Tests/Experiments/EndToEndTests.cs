using System.Text.Json;
using Hfpl.Samples.Data;
using Hfpl.Samples.Experiments;
using Hfpl.Samples.Inference;
using Hfpl.Samples.Training;

namespace Hfpl.Samples.Tests.Experiments;

/// <summary>A few training steps of CAM and CAM++ on generated data, then inference, pseudo-labels and metrics.</summary>
public sealed class EndToEndTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "hfpl-e2e-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Train_infer_and_evaluate_both_variants_on_synthetic_data()
    {
        var dataset = new SyntheticDataset(new SyntheticOptions { Seed = 3, Count = 8, Width = 48, Height = 48 });
        var settings = new ComparisonSettings
        {
            Backbone = "small", OutputStride = 4, Seeds = [1], Scales = [1.0], Overlays = 2,
            Training = new TrainingOptions { Steps = 4, BatchSize = 4, CropSize = 48 },
            AddOnPerBaseline = new Dictionary<string, Hfpl.Samples.Baselines.AddOnSettings> { ["cam"] = new(FslWeight: 0.5) },
        };
        var results = Comparison.Run(dataset, settings, folder, log: null);

        Assert.Equal(["CAM", "CAM++"], results.Select(r => r.Spec.DisplayName));
        foreach (var result in results)
        {
            var variant = Path.Combine(folder, result.Spec.DisplayName.ToLowerInvariant().Replace("+", "p") + "-seed1");
            Assert.Equal(8, Directory.GetFiles(Path.Combine(variant, "pseudo_labels"), "*.png").Length);
            Assert.Equal(2, Directory.GetFiles(Path.Combine(variant, "overlays"), "*.png").Length);
            Assert.True(File.Exists(Path.Combine(variant, "model.bin")) && File.Exists(Path.Combine(variant, "model.bin.json")));
            var pseudo = MaskFile.Read(Path.Combine(variant, "pseudo_labels", dataset.Ids[0] + ".png"));
            Assert.Equal((48, 48), (pseudo.Width, pseudo.Height));
            Assert.All(pseudo.Values, v => Assert.True(v <= 5, $"pseudo-label value {v} is not a class of the data"));
            Assert.InRange(result.Evaluation.MeanIoU, 0, 1);
            Assert.InRange(result.Evaluation.ContourF.AllClasses, 0, 1);
            Assert.InRange(result.Evaluation.ContourF.PresentClasses, 0, 1);
            Assert.Equal(60, result.Evaluation.Curve.Count);
            Assert.True(result.Training.LastLosses.Values.All(double.IsFinite));
        }
        Assert.Equal(0.5, results[1].Spec.AddOnSettings!.FslWeight); // the per-baseline add-on settings, not the shared default
        Assert.Contains("fsl", results[1].Training.LastLosses.Keys);
        Assert.DoesNotContain("fsl", results[0].Training.LastLosses.Keys);

        ComparisonReport.WriteJson(Path.Combine(folder, "comparison.json"), results, dataset.Info, dataset.Count, settings);
        var text = File.ReadAllText(Path.Combine(folder, "comparison.json"));
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("runs").GetArrayLength());
        // One schema: camelCase keys, settings by name, pairs as arrays, per-class scores keyed by class name, null not "NaN".
        Assert.DoesNotContain("NaN", text);
        Assert.DoesNotContain("{}", text);
        var training = root.GetProperty("settings").GetProperty("training");
        Assert.Equal("[0.7,1.3]", training.GetProperty("scaleRange").GetRawText().Replace(" ", "").Replace("\n", "").Replace("\r", ""));
        Assert.Equal("bilinear", root.GetProperty("settings").GetProperty("addOn").GetProperty("features").GetString());
        Assert.Equal(0.5, root.GetProperty("settings").GetProperty("addOnPerBaseline").GetProperty("cam").GetProperty("fslWeight").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("settings").GetProperty("trainingPerBaseline").ValueKind);
        var run = root.GetProperty("runs")[0];
        Assert.Equal("CAM", run.GetProperty("variant").GetString());
        var report = run.GetProperty("report");
        var classIoU = report.GetProperty("classIoU");
        Assert.Equal(dataset.Info.ClassNames, classIoU.EnumerateObject().Select(p => p.Name));
        Assert.All(classIoU.EnumerateObject(), p => Assert.True(p.Value.ValueKind is JsonValueKind.Number or JsonValueKind.Null));
        Assert.True(report.GetProperty("contourF").TryGetProperty("presentClasses", out _));
        Assert.Equal(60, report.GetProperty("curve").GetArrayLength());
        Assert.True(ComparisonReport.WriteCurvePlot(Path.Combine(folder, "curve.png"), results, "test"));
        Assert.True(new FileInfo(Path.Combine(folder, "curve.png")).Length > 1000);
        Assert.Contains("difference", ComparisonReport.Table(results));
        // Every run is scored for contour F at every threshold of the sweep: CAM++ at CAM's threshold (same seed) gives the
        // table its same-threshold row, each measure's best its best-threshold row.
        Assert.All(results, r => Assert.Equal(PseudoLabelEvaluation.SweepThresholds, r.Evaluation.ContourCurve.Select(p => p.Threshold)));
        Assert.Contains(results[1].Evaluation.ContourCurve, p => p.Threshold == results[0].Evaluation.Threshold);
        var table = ComparisonReport.Table(results);
        Assert.Contains("same thr.", table);
        Assert.Contains("best thr.", table);
        Assert.Equal(60, report.GetProperty("contourCurve").GetArrayLength());
        Assert.Equal(60, root.GetProperty("runs")[1].GetProperty("report").GetProperty("contourCurve").GetArrayLength());
        // Its own cut is on the curve, so no contour measure's best is below its value there.
        var best = ContourOptimum.Of(results[0].Evaluation)!;
        Assert.True(best.ContourF.PresentClasses >= results[0].Evaluation.ContourF.PresentClasses);
        Assert.Equal(best.ContourF.PresentClasses, report.GetProperty("bestContourF").GetProperty("contourF").GetProperty("presentClasses").GetDouble());
    }

    [Fact]
    public void A_clipped_comparison_says_on_how_many_steps_each_variant_was_clipped()
    {
        var dataset = new SyntheticDataset(new SyntheticOptions { Seed = 4, Count = 4, Width = 40, Height = 40 });
        var settings = new ComparisonSettings
        {
            Backbone = "small", OutputStride = 4, Seeds = [2], Scales = [1.0], Overlays = 0,
            Training = new TrainingOptions { Steps = 3, BatchSize = 2, CropSize = 40, MaxGradientNorm = 1e-9 }, // every gradient is longer
        };
        var log = new StringWriter();
        var results = Comparison.Run(dataset, settings, folder, log);

        Assert.All(results, r => Assert.Equal(3, r.Training.ClippedSteps));
        var summaries = log.ToString().Split('\n').Where(l => l.Contains(" seed 2: mIoU")).ToList();
        Assert.Equal(2, summaries.Count);
        Assert.All(summaries, l => Assert.Contains("(gradient clipped to 1E-09 on 3 steps)", l));
        ComparisonReport.WriteJson(Path.Combine(folder, "comparison.json"), results, dataset.Info, dataset.Count, settings);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "comparison.json")));
        Assert.All(json.RootElement.GetProperty("runs").EnumerateArray(), run => Assert.Equal(3, run.GetProperty("clippedSteps").GetInt32()));

        var unclipped = new StringWriter();
        Comparison.Run(dataset, settings with { Training = settings.Training with { MaxGradientNorm = null } }, folder, unclipped);
        Assert.DoesNotContain("clipped", unclipped.ToString());
    }

    [Fact]
    public void The_same_seed_trains_the_same_weights()
    {
        var data = new SyntheticDataset(new SyntheticOptions { Seed = 1, Count = 6, Width = 40, Height = 40 }).ToList();
        var options = new TrainingOptions { Steps = 3, BatchSize = 2, CropSize = 40, Seed = 5 };
        float Train()
        {
            var spec = new ModelSpec("cam", AddOn: true, "small", 8, 5, Seed: 5);
            TorchSharp.torch.manual_seed(5);
            using var model = spec.Create();
            Trainer.Train(model, data, options);
            return model.parameters().Select(p => p.detach().abs().sum().item<float>()).Sum();
        }
        Assert.Equal(Train(), Train());
    }

    [Fact]
    public void Training_reduces_the_loss_on_synthetic_data()
    {
        var data = new SyntheticDataset(new SyntheticOptions { Seed = 2, Count = 32, Width = 48, Height = 48 }).ToList();
        var spec = new ModelSpec("cam", AddOn: false, "small", 8, 5, Seed: 0);
        TorchSharp.torch.manual_seed(0);
        using var model = spec.Create();
        var report = Trainer.Train(model, data, new TrainingOptions { Steps = 40, BatchSize = 8, CropSize = 48 });
        Assert.True(report.LastLosses["cls"] < report.FirstLosses["cls"],
            $"classification loss did not fall: {report.FirstLosses["cls"]:F4} -> {report.LastLosses["cls"]:F4}");
    }
}
