using Hfpl.Evaluation;
using Hfpl.Samples.Baselines;
using Hfpl.Samples.Data;
using Hfpl.Samples.Experiments;
using Hfpl.Samples.Inference;
using Hfpl.Samples.Training;

namespace Hfpl.Samples.Tests.Experiments;

public sealed class ComparisonReportTests : IDisposable
{
    // xUnit makes one instance per test: each test gets its own folder.
    readonly string folder = Directory.CreateTempSubdirectory("hfpl-report-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A threshold curve over 0, 0.1, 0.2, ... with these mIoU values.</summary>
    static List<ThresholdPoint> Curve(params double[] miou) => miou.Select((v, i) => new ThresholdPoint(i * 0.1, v)).ToList();

    static VariantResult Result(string baseline, bool addOn, int seed, double miou, double contour, double[] curve) =>
        new(new ModelSpec(baseline, addOn, "small", 8, 2, seed), seed,
            new TrainingReport(new Dictionary<string, double>(), new Dictionary<string, double>(), TimeSpan.Zero),
            new PseudoLabelReport(miou, 0.1, 0.1, Curve(curve), [miou], new ContourScores(contour, contour / 2),
                new ContourScores(contour + 0.1, contour / 3), 1, 1, 1),
            TimeSpan.Zero);

    static readonly DatasetInfo Info = new("toy", ["background", "thing"], hasBackground: true);

    /// <summary>CAM, CAM++, SEAM, SEAM++ per seed, with made-up scores.</summary>
    internal static List<VariantResult> FourVariants(params int[] seeds)
    {
        double[] curve = [0.1, 0.2, 0.3];
        var results = new List<VariantResult>();
        foreach (var seed in seeds)
        {
            results.Add(Result("cam", false, seed, 0.50 + 0.01 * seed, 0.30, curve));
            results.Add(Result("cam", true, seed, 0.55 + 0.03 * seed, 0.40, curve));
            results.Add(Result("seam", false, seed, 0.60, 0.35, [0.3, 0.2, 0.1]));
            results.Add(Result("seam", true, seed, 0.58, 0.45, curve));
        }
        return results;
    }

    /// <summary>Writes <paramref name="runs"/> as FOLDER/NAME/comparison.json and returns its path.</summary>
    internal static string Write(string folder, string name, IReadOnlyList<VariantResult> runs, DatasetInfo? info = null)
    {
        var path = Path.Combine(folder, name, "comparison.json");
        ComparisonReport.WriteJson(path, runs, info ?? Info, 3, new ComparisonSettings { Seeds = runs.Select(r => r.Seed).Distinct().ToList() });
        return path;
    }

    [Fact]
    public void Two_baselines_get_one_paired_difference_row_each_and_one_plot_with_four_curves()
    {
        var results = FourVariants(0, 1);
        var lines = ComparisonReport.Table(results).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Header, four variants, two differences, each again at its baseline's threshold, and the note on that row.
        Assert.Equal(10, lines.Length);
        // Every variant was cut at 0.1, so the same-threshold rows repeat the differences' contour F (their mIoU is read
        // from the curves at 0.1, which these made-up reports do not make equal to their mIoU).
        static string ContourCells(string line) => line[line.IndexOf('|', line.IndexOf('|') + 1)..];
        Assert.Equal(ContourCells(lines[5]), ContourCells(lines[6]));
        Assert.StartsWith("same thr.", lines[6]);
        Assert.Contains("(2 seeds, percent, mean ± std)", lines[0]);
        var camDifference = Assert.Single(lines, l => l.StartsWith("CAM++ - CAM"));
        // Per-seed differences 5 and 7 points: mean 6, sample std 1.41.
        Assert.Contains("6.00 ± 1.41", camDifference);
        var seamDifference = Assert.Single(lines, l => l.StartsWith("SEAM++ - SEAM"));
        Assert.Contains("-2.00 ± 0.00", seamDifference);

        Assert.True(ComparisonReport.WriteCurvePlot(Path.Combine(folder, "curves.png"), results, "four"));
        Assert.True(new FileInfo(Path.Combine(folder, "curves.png")).Length > 1000);
    }

    [Fact]
    public void A_variant_with_one_run_shows_its_value_without_a_standard_deviation()
    {
        // CAM and CAM++ over seeds 0 and 1, SEAM and SEAM++ over seed 0 only.
        var results = FourVariants(0, 1).Where(r => r.Spec.Baseline == "cam" || r.Seed == 0).ToList();
        var lines = ComparisonReport.Table(results).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("(1-2 seeds, percent, mean ± std)", lines[0]);
        Assert.Contains("50.50 ± 0.71", Assert.Single(lines, l => l.StartsWith("CAM ")));
        var seam = Assert.Single(lines, l => l.StartsWith("SEAM "));
        Assert.Contains("60.00", seam);
        Assert.DoesNotContain("±", seam);
        Assert.DoesNotContain("±", Assert.Single(lines, l => l.StartsWith("SEAM++ - SEAM")));
        // Columns stay aligned: every row is as long as the header's columns.
        Assert.Equal(lines[1].Length, seam.Length);
    }

    [Fact]
    public void The_marked_best_point_is_the_maximum_of_the_mean_curve_not_of_any_seed()
    {
        // Seed A peaks at 0.0, seed B at 0.2; their mean (0.35, 0.40, 0.30) peaks at 0.1.
        var (thresholds, miou, best) = ComparisonReport.MeanCurve([Curve(0.50, 0.45, 0.10), Curve(0.20, 0.35, 0.50)]);
        Assert.Equal([0.0, 0.1, 0.2], thresholds);
        Assert.Equal(35.0, miou[0], 10);
        Assert.Equal(40.0, miou[1], 10);
        Assert.Equal(30.0, miou[2], 10);
        Assert.Equal(1, best);
        // A tie marks the lower threshold, as the sweep's best index does.
        Assert.Equal(0, ComparisonReport.MeanCurve([Curve(0.3, 0.3, 0.1)]).Best);
    }

    /// <summary>CAM and CAM++ of seeds 0 and 1; CAM is cut at 0.1, CAM++ at 0.2 and scored at 0.1 too when <paramref name="scoredAt"/> says so.</summary>
    static List<VariantResult> ScoredAtBaselineThreshold(Func<int, bool> scoredAt)
    {
        var results = new List<VariantResult>();
        foreach (var seed in new[] { 0, 1 })
        {
            results.Add(Result("cam", false, seed, 0.50, 0.30, [0.2, 0.5, 0.1]));
            var plus = Result("cam", true, seed, 0.60, 0.40, [0.6, 0.55 + 0.01 * seed, 0.3]);
            ContourPoint[] curve = scoredAt(seed) ? [new(0.1, new ContourScores(0.35 + 0.02 * seed, 0.20), new ContourScores(0.50, 0.25))] : [];
            results.Add(plus with { Evaluation = plus.Evaluation with { BestThreshold = 0.2, Threshold = 0.2, ContourCurve = curve } });
        }
        return results;
    }

    [Fact]
    public void The_same_threshold_row_scores_the_addon_at_its_baselines_threshold()
    {
        var results = ScoredAtBaselineThreshold(_ => true);
        var lines = ComparisonReport.Table(results).Split('\n');
        // Own thresholds: mIoU 60 - 50, contour F 40 - 30, 20 - 15, precise 50 - 40, 13.33 - 10.
        Assert.Equal("difference |  10.00 ± 0.00 |  10.00 ± 0.00 |   5.00 ± 0.00 |  10.00 ± 0.00 |        3.33 ± 0.00",
            lines.Single(l => l.StartsWith("difference")));
        // CAM++ at CAM's 0.1: mIoU 55 and 56 from its curve, contour F 35 and 37, 20, precise 50 and 25 from its contour curve.
        Assert.Equal("same thr.  |   5.50 ± 0.71 |   6.00 ± 1.41 |   5.00 ± 0.00 |  10.00 ± 0.00 |       15.00 ± 0.00",
            lines.Single(l => l.StartsWith("same thr.  |")));
        Assert.Contains(lines, l => l.StartsWith("same thr.: the difference with the \"++\" pseudo-labels cut at their baseline's"));
        // Read back from comparison.json, the row is the same.
        Assert.Equal(ComparisonReport.Table(results), ComparisonReport.Table(ComparisonFile.Read(Write(folder, "same", results)).Runs));

        // One seed not scored at its baseline's threshold: no row, no note (a partial mean would not be paired).
        var partial = ScoredAtBaselineThreshold(seed => seed == 0);
        Assert.DoesNotContain("same thr.", ComparisonReport.Table(partial));
        // Unless that run was cut at its baseline's threshold itself: then its own contour F is the one at that threshold.
        partial[3] = partial[3] with { Evaluation = partial[3].Evaluation with { Threshold = 0.1 } };
        Assert.Equal("same thr.  |   5.50 ± 0.71 |   7.50 ± 3.54 |   5.00 ± 0.00 |  10.00 ± 0.00 |        9.17 ± 8.25",
            ComparisonReport.Table(partial).Split('\n').Single(l => l.StartsWith("same thr.  |")));
    }

    /// <summary>CAM and CAM++ of seeds 0 and 1, each cut at 0.1 and scored for contour F at every threshold of its sweep (0, 0.1, 0.2).</summary>
    static List<VariantResult> ScoredOverTheSweep()
    {
        static ContourPoint Point(double t, double all, double present, double preciseAll, double precisePresent) =>
            new(t, new ContourScores(all, present), new ContourScores(preciseAll, precisePresent));
        var results = new List<VariantResult>();
        foreach (var seed in new[] { 0, 1 })
        {
            // Own cut (Result): contour F (c, c / 2), precise (c + 0.1, c / 3).
            var plain = Result("cam", false, seed, 0.50, 0.30, [0.4, 0.5, 0.3]);
            results.Add(plain with { Evaluation = plain.Evaluation with { ContourCurve =
                [Point(0.0, 0.20, 0.10, 0.30, 0.05), Point(0.1, 0.30, 0.15, 0.40, 0.10), Point(0.2, 0.35, 0.12, 0.38, 0.20)] } });
            var plus = Result("cam", true, seed, 0.60, 0.40, [0.5, 0.6, 0.4]);
            results.Add(plus with { Evaluation = plus.Evaluation with { ContourCurve =
                [Point(0.0, 0.45 + 0.01 * seed, 0.10, 0.30, 0.05), Point(0.1, 0.40, 0.20, 0.50, 0.40 / 3), Point(0.2, 0.30, 0.30, 0.48, 0.25)] } });
        }
        return results;
    }

    [Fact]
    public void The_best_threshold_row_takes_every_contour_measure_of_every_run_at_its_own_best()
    {
        var results = ScoredOverTheSweep();
        var lines = ComparisonReport.Table(results).Split('\n');
        // Best: CAM 35 (0.2), 15 (0.1), 40 (0.1), 20 (0.2); CAM++ 45 and 46 (0.0), 30 (0.2), 50 (0.1), 25 (0.2). mIoU as in "difference".
        Assert.Equal("best thr.  |  10.00 ± 0.00 |  10.50 ± 0.71 |  15.00 ± 0.00 |  10.00 ± 0.00 |        5.00 ± 0.00",
            lines.Single(l => l.StartsWith("best thr.  |")));
        Assert.Contains(lines, l => l.StartsWith("best thr.: the difference with every contour F of every run at the background threshold"));
        Assert.Equal(ComparisonReport.Table(results), ComparisonReport.Table(ComparisonFile.Read(Write(folder, "best", results)).Runs));

        // One run not scored at 0.2: no row and no note.
        results[2] = results[2] with { Evaluation = results[2].Evaluation with { ContourCurve = results[2].Evaluation.ContourCurve.Take(2).ToList() } };
        Assert.DoesNotContain("best thr.", ComparisonReport.Table(results));
    }

    [Fact]
    public void Curves_over_different_thresholds_are_refused()
    {
        var shifted = new List<ThresholdPoint> { new(0.05, 0.1), new(0.15, 0.2), new(0.25, 0.3) };
        var error = Assert.Throws<ArgumentException>(() => ComparisonReport.MeanCurve([Curve(0.1, 0.2, 0.3), shifted]));
        Assert.Equal("curves", error.ParamName);
        Assert.Equal("curves", Assert.Throws<ArgumentException>(() => ComparisonReport.MeanCurve([])).ParamName);
    }

    [Fact]
    public void Comparison_files_read_back_to_the_same_table_and_curves()
    {
        var results = FourVariants(0, 1, 2);
        var (dataset, runs) = ComparisonFile.Read(Write(folder, "all", results));
        Assert.Equal("toy", dataset);
        Assert.Equal(ComparisonReport.Table(results), ComparisonReport.Table(runs));
        Assert.Equal(results.Select(r => (r.Spec, r.Seed)), runs.Select(r => (r.Spec, r.Seed)));
        Assert.Equal(results.SelectMany(r => r.Evaluation.Curve), runs.SelectMany(r => r.Evaluation.Curve));
        Assert.Equal(results.Select(r => r.Evaluation.PreciseContourF), runs.Select(r => r.Evaluation.PreciseContourF));
    }

    [Fact]
    public void Runs_of_separate_demos_merge_into_the_table_of_one_demo()
    {
        var all = FourVariants(0, 1, 2);
        // CAM and SEAM in separate commands, and seed 0 apart from seeds 1 and 2.
        string[] paths =
        [
            Write(folder, "cam0", all.Where(r => r.Spec.Baseline == "cam" && r.Seed == 0).ToList()),
            Write(folder, "cam12", all.Where(r => r.Spec.Baseline == "cam" && r.Seed > 0).ToList()),
            Write(folder, "seam", all.Where(r => r.Spec.Baseline == "seam").ToList()),
        ];
        var (dataset, merged) = ComparisonFile.Merge(paths);
        Assert.Equal("toy", dataset);
        var expected = ComparisonReport.Table(all).Split('\n').Order();
        Assert.Equal(expected, ComparisonReport.Table(merged).Split('\n').Order());
        Assert.Contains("CAM++ - CAM", ComparisonReport.Table(merged));
    }

    [Fact]
    public void Merging_refuses_repeated_runs_unpaired_seeds_other_datasets_and_other_files()
    {
        var all = FourVariants(0, 1);
        var first = Write(folder, "a", all);
        var repeated = Assert.Throws<InvalidDataException>(() => ComparisonFile.Merge([first, Write(folder, "b", all.Where(r => r.Seed == 1).ToList())]));
        Assert.Contains("CAM seed 1 is in more than one file", repeated.Message);
        var unpaired = Assert.Throws<InvalidDataException>(() => ComparisonFile.Merge([Write(folder, "c", all.Where(r => !(r.Spec.Baseline == "seam" && r.Spec.AddOn && r.Seed == 1)).ToList())]));
        Assert.Contains("SEAM and SEAM++ were run with different seeds (0,1 vs 0)", unpaired.Message);
        var other = Write(folder, "d", FourVariants(5), new DatasetInfo("other", ["background", "thing"], hasBackground: true));
        Assert.Contains("different datasets", Assert.Throws<InvalidDataException>(() => ComparisonFile.Merge([first, other])).Message);
        var notComparison = Path.Combine(folder, "metrics.json");
        File.WriteAllText(notComparison, "{\"images\": 3}");
        var wrong = Assert.Throws<InvalidDataException>(() => ComparisonFile.Read(notComparison));
        Assert.Contains(notComparison, wrong.Message);
        Assert.Contains("no 'dataset' field", wrong.Message);
        File.WriteAllText(notComparison, "not json");
        Assert.Contains(notComparison, Assert.Throws<InvalidDataException>(() => ComparisonFile.Read(notComparison)).Message);
        Assert.Throws<FileNotFoundException>(() => ComparisonFile.Read(Path.Combine(folder, "none.json")));
    }

    [Fact]
    public void Metrics_of_hfpl_infer_read_as_one_run_each_and_merge_with_demo_files()
    {
        var all = FourVariants(0, 1);
        // CAM and CAM++ seed 1 scored by hfpl infer, one metrics.json each; the rest from a demo.
        string Metrics(VariantResult r, Shard shard) =>
            WriteMetrics(Path.Combine(folder, $"{r.Spec.DisplayName}{r.Seed}-{shard.Index}", "metrics.json"), r, shard);
        var inferred = all.Where(r => r.Spec.Baseline == "cam" && r.Seed == 1).ToList();
        var paths = inferred.Select(r => Metrics(r, Shard.All)).Append(Write(folder, "demo", all.Except(inferred).ToList())).ToList();
        var (dataset, merged) = ComparisonFile.Merge(paths);
        Assert.Equal("toy", dataset);
        Assert.Equal(ComparisonReport.Table(all).Split('\n').Order(), ComparisonReport.Table(merged).Split('\n').Order());
        var one = Assert.Single(ComparisonFile.Read(paths[0]).Runs);
        Assert.Equal((inferred[0].Spec, 1), (one.Spec, one.Seed));
        Assert.Equal(inferred[0].Evaluation.Curve, one.Evaluation.Curve);

        // The metrics of one shard are not a run over the dataset.
        var part = Metrics(inferred[0], new Shard(1, 2));
        Assert.Contains("shard 1/2 only", Assert.Throws<InvalidDataException>(() => ComparisonFile.Read(part)).Message);
    }

    [Fact]
    public void Merging_refuses_to_average_a_variant_over_different_settings()
    {
        var all = FourVariants(0, 1);
        var other = all.Select(r => r.Spec.AddOn && r.Spec.Baseline == "cam" && r.Seed == 1
            ? r with { Spec = r.Spec with { AddOnSettings = new AddOnSettings(Lambda: 0) } } : r).ToList();
        var error = Assert.Throws<InvalidDataException>(() => ComparisonFile.Merge([Write(folder, "a", other.Where(r => r.Seed == 0).ToList()),
            Write(folder, "b", other.Where(r => r.Seed == 1).ToList())]));
        Assert.Contains("the CAM++ runs differ in more than the seed", error.Message);
        Assert.Contains("lambda 0,", error.Message);
        // SEAM trained with another second view is another setting too, and the message says which.
        var views = all.Select(r => r.Spec.Baseline == "seam" && !r.Spec.AddOn && r.Seed == 1
            ? r with { Spec = r.Spec with { BaselineOptions = new BaselineOptions(0.6) } } : r).ToList();
        var viewError = Assert.Throws<InvalidDataException>(() => ComparisonFile.Merge([Write(folder, "e", views.Where(r => r.Seed == 0).ToList()),
            Write(folder, "f", views.Where(r => r.Seed == 1).ToList())]));
        Assert.Contains("the SEAM runs differ in more than the seed", viewError.Message);
        Assert.Contains("(no add-on; SEAM view 0.6)", viewError.Message);
        // The seed alone is allowed to differ (it is part of the model description).
        ComparisonFile.Merge([Write(folder, "c", all.Where(r => r.Seed == 0).ToList()), Write(folder, "d", all.Where(r => r.Seed == 1).ToList())]);
    }

    static string WriteMetrics(string path, VariantResult run, Shard shard)
    {
        MetricsJson.WriteInference(path, "model.bin", run.Spec, Info, shard, null, 293, run.Evaluation, trainedOn: null, inferredOn: null);
        return path;
    }
}
