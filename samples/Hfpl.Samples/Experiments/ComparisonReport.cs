using Hfpl.Evaluation;
using Hfpl.Samples.Data;
using Hfpl.Samples.Inference;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hfpl.Samples.Experiments;

/// <summary>The comparison's outputs: a console table (mean and standard deviation over seeds), a JSON of every metric, and the mIoU-versus-threshold plot.</summary>
public static class ComparisonReport
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Mean and sample standard deviation (0 for one value).</summary>
    public static (double Mean, double Std) MeanStd(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return (mean, std);
    }

    /// <summary>
    /// One row per variant plus one difference row per baseline ("++" minus plain): mIoU, contour F over all foreground
    /// classes and over the classes present in the ground truth, and the same two against precise masks where there are any.
    /// When every "++" run was also scored at its baseline's threshold (<see cref="AtThresholdOf"/>), a second difference row,
    /// "same thr.", compares the two cut at one threshold; when every run was scored at every threshold of the sweep
    /// (<see cref="AtBestContour"/>), a third, "best thr.", compares each contour F at each run's best threshold. A note under the
    /// table explains each extra row.
    /// </summary>
    public static string Table(IReadOnlyList<VariantResult> results)
    {
        var variants = results.GroupBy(r => r.Spec.DisplayName).ToList();
        var precise = results.All(r => r.Evaluation.PreciseContourF is not null);
        // Merged reports may hold more seeds of one baseline than of another: the header gives the range.
        var runsPerVariant = variants.Select(v => v.Count()).ToList();
        var (fewest, seeds) = (runsPerVariant.Min(), runsPerVariant.Max());
        var metrics = new List<(string Name, Func<VariantResult, double> Value)>
        {
            ("mIoU", r => r.Evaluation.MeanIoU),
            ("contour F", r => r.Evaluation.ContourF.AllClasses),
            ("F present", r => r.Evaluation.ContourF.PresentClasses),
        };
        if (precise)
        {
            metrics.Add(("F precise", r => r.Evaluation.PreciseContourF!.AllClasses));
            metrics.Add(("F precise, present", r => r.Evaluation.PreciseContourF!.PresentClasses));
        }
        // A variant with one run has no standard deviation: its cell is the value alone.
        string Cell(IReadOnlyList<double> v, int width) => (v.Count > 1
            ? string.Format(Invariant, "{0,6:F2} ± {1,4:F2}", 100 * MeanStd(v).Mean, 100 * MeanStd(v).Std)
            : string.Format(Invariant, "{0,6:F2}", 100 * v[0])).PadLeft(width);
        var widths = metrics.Select(m => Math.Max(m.Name.Length, seeds > 1 ? 13 : 6)).ToArray();
        // Wide enough for "SEAM++ - SEAM" when several baselines are compared.
        var labelWidth = variants.Count == 2 ? 10 : Math.Max(10, 2 * variants.Max(v => v.Key.Length) + 1);
        string Label(string label) => label.PadRight(labelWidth);
        string Row(string label, Func<Func<VariantResult, double>, IReadOnlyList<double>> values) =>
            $"{Label(label)} | {string.Join(" | ", metrics.Select((m, i) => Cell(values(m.Value), widths[i])))}";
        var text = new StringBuilder();
        text.AppendLine($"{Label("variant")} | {string.Join(" | ", metrics.Select((m, i) => m.Name.PadLeft(widths[i])))}   " +
                        $"({(fewest < seeds ? $"{fewest}-" : "")}{seeds} seed{(seeds > 1 ? "s" : "")}, percent{(seeds > 1 ? ", mean ± std" : "")})");
        foreach (var group in variants)
            text.AppendLine(Row(group.Key, metric => group.Select(metric).ToList()));
        // One difference row per baseline trained with and without the add-on, paired by seed: the difference of
        // means equals the mean of per-seed differences.
        var (sameThreshold, bestThreshold) = (false, false);
        foreach (var plain in variants.Where(v => !v.First().Spec.AddOn))
        {
            if (variants.FirstOrDefault(v => v.Key == plain.Key + "++") is not { } plus) continue;
            var (a, b) = (plain.OrderBy(r => r.Seed).ToList(), plus.OrderBy(r => r.Seed).ToList());
            var label = variants.Count == 2 ? "difference" : plus.Key + " - " + plain.Key;
            text.AppendLine(Row(label, metric => a.Zip(b, (x, y) => metric(y) - metric(x)).ToList()));
            var shifted = a.Zip(b, AtThresholdOf).ToList();
            if (shifted.All(r => r is not null))
            {
                text.AppendLine(Row("same thr.", metric => a.Zip(shifted, (x, y) => metric(y!) - metric(x)).ToList()));
                sameThreshold = true;
            }
            var (bestA, bestB) = (a.Select(AtBestContour).ToList(), b.Select(AtBestContour).ToList());
            if (bestA.Concat(bestB).Any(r => r is null)) continue;
            text.AppendLine(Row("best thr.", metric => bestA.Zip(bestB, (x, y) => metric(y!) - metric(x!)).ToList()));
            bestThreshold = true;
        }
        if (sameThreshold)
            text.AppendLine("same thr.: the difference with the \"++\" pseudo-labels cut at their baseline's best background threshold " +
                            "(same seed) instead of their own, so that both variants' contours are drawn at one threshold.");
        if (bestThreshold)
            text.AppendLine("best thr.: the difference with every contour F of every run at the background threshold that maximises it (as " +
                            "mIoU is at its own best; boundary detection's ODS F), so that no variant's contours are cut where another measure peaks.");
        return text.ToString();
    }

    /// <summary>
    /// <paramref name="run"/> with each contour F at the background threshold that maximises it (<see cref="ContourOptimum.Of"/>), its
    /// mIoU at its own best as before. Null when the run was not scored at every threshold of the sweep.
    /// </summary>
    internal static VariantResult? AtBestContour(VariantResult run) => ContourOptimum.Of(run.Evaluation) is { } best
        ? run with { Evaluation = run.Evaluation with { ContourF = best.ContourF, PreciseContourF = best.PreciseContourF } }
        : null;

    /// <summary>
    /// <paramref name="plus"/> as if its pseudo-labels were cut at <paramref name="plain"/>'s background threshold: its mIoU
    /// from its own threshold sweep and its contour F from its <see cref="PseudoLabelReport.ContourCurve"/> at that threshold.
    /// A run cut at that threshold itself (its own best, or <c>hfpl infer --threshold</c>) has its own contour F there. Null when
    /// neither was scored there (data without background, no masks, or a "++" run evaluated without <c>contourThresholds</c>,
    /// as in files written before this table had the row).
    /// </summary>
    internal static VariantResult? AtThresholdOf(VariantResult plain, VariantResult plus)
    {
        if (plain.Evaluation.Threshold is not { } t) return null;
        // A run cut at t itself has its own contour F there (its mIoU is its sweep's best even when --threshold cut it elsewhere).
        var point = plus.Evaluation.ContourAt(t);
        var miou = plus.Evaluation.Curve.Where(p => PseudoLabelReport.SameThreshold(p.Threshold, t)).Select(p => (double?)p.MeanIoU).FirstOrDefault();
        if (point is null || miou is null) return null;
        return plus with
        {
            Evaluation = plus.Evaluation with { MeanIoU = miou.Value, Threshold = t, ContourF = point.ContourF, PreciseContourF = point.PreciseContourF },
        };
    }

    /// <summary>Writes every metric of every run as JSON, in <see cref="MetricsJson"/>'s schema.</summary>
    public static void WriteJson(string path, IReadOnlyList<VariantResult> results, DatasetInfo info, int images, ComparisonSettings settings)
    {
        MetricsJson.Write(path, new
        {
            dataset = info.Name,
            images,
            machine = Machine.Current(),
            settings = Describe(settings),
            runs = results.Select(r => new
            {
                variant = r.Spec.DisplayName,
                seed = r.Seed,
                model = r.Spec,
                report = MetricsJson.Report(r.Evaluation, info),
                trainingSeconds = r.Training.Elapsed.TotalSeconds,
                clippedSteps = r.Training.ClippedSteps,
                inferenceSeconds = r.InferenceTime.TotalSeconds,
                firstLosses = r.Training.FirstLosses,
                lastLosses = r.Training.LastLosses,
            }),
        });
    }

    /// <summary>Every setting by name (the pretraining data as its size and seed, not its samples).</summary>
    static object Describe(ComparisonSettings settings) => new
    {
        baselines = settings.Baselines,
        backbone = settings.Backbone,
        outputStride = settings.OutputStride,
        addOn = settings.AddOn,
        baselineOptions = settings.BaselineOptions,
        training = settings.Training,
        trainingPerBaseline = settings.TrainingPerBaseline.Count > 0 ? settings.TrainingPerBaseline : null,
        addOnPerBaseline = settings.AddOnPerBaseline.Count > 0 ? settings.AddOnPerBaseline : null,
        seeds = settings.Seeds,
        scales = settings.Scales ?? CamInference.DefaultScales,
        device = settings.Device?.ToString() ?? "cpu",
        pretraining = settings.Pretraining is { } p ? new { images = p.Data.Count, steps = p.Options.Steps, seed = p.Options.Seed } : null,
    };

    /// <summary>
    /// The mean over seeds of one variant's threshold curves, in percent, and the index of its best point (the first
    /// maximum): the point <see cref="WriteCurvePlot"/> marks. This is the best threshold of the mean curve, which need
    /// not be any seed's own best threshold.
    /// </summary>
    /// <param name="curves">one curve per seed, all over the same thresholds.</param>
    internal static (double[] Thresholds, double[] MeanIoU, int Best) MeanCurve(IReadOnlyList<IReadOnlyList<ThresholdPoint>> curves)
    {
        if (curves.Count == 0) throw new ArgumentException("at least one curve is needed", nameof(curves));
        var xs = curves[0].Select(p => p.Threshold).ToArray();
        if (curves.Any(c => !c.Select(p => p.Threshold).SequenceEqual(xs)))
            throw new ArgumentException("the curves are not over the same thresholds", nameof(curves));
        var ys = Enumerable.Range(0, xs.Length).Select(i => 100 * curves.Average(c => c[i].MeanIoU)).ToArray();
        return (xs, ys, Array.IndexOf(ys, ys.Max()));
    }

    /// <summary>Plots mIoU against the background threshold, one line per variant (mean over seeds). Returns false when the data has no background class (no sweep).</summary>
    public static bool WriteCurvePlot(string path, IReadOnlyList<VariantResult> results, string title)
    {
        if (results.Any(r => r.Evaluation.BestThreshold is null)) return false;
        var plot = new ScottPlot.Plot();
        foreach (var group in results.GroupBy(r => r.Spec.DisplayName))
        {
            var (xs, ys, best) = MeanCurve(group.Select(r => r.Evaluation.Curve).ToList());
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = string.Format(Invariant, "{0} (best {1:F2} at {2:F2})", group.Key, ys[best], xs[best]);
            line.MarkerSize = 3;
            // Each curve's best point: a large marker in the curve's colour.
            var marker = plot.Add.Marker(xs[best], ys[best]);
            marker.Color = line.Color;
            marker.Size = 12;
            marker.Shape = ScottPlot.MarkerShape.FilledDiamond;
        }
        plot.Title(title);
        plot.XLabel("background threshold");
        plot.YLabel("pseudo-label mIoU (%)");
        plot.ShowLegend();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 720, 440);
        return true;
    }
}
