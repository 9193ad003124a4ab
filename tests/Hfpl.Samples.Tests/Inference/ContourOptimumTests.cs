using Hfpl.Evaluation;
using Hfpl.Samples.Inference;

namespace Hfpl.Samples.Tests.Inference;

public sealed class ContourOptimumTests
{
    static readonly List<ThresholdPoint> Sweep = [new(0.0, 0.4), new(0.1, 0.5), new(0.2, 0.45)];

    static ContourPoint Point(double threshold, double all, double present, double preciseAll, double precisePresent) =>
        new(threshold, new ContourScores(all, present), new ContourScores(preciseAll, precisePresent));

    /// <summary>A run cut at 0.1 and scored for contour F at every threshold of its (three-point) sweep.</summary>
    static PseudoLabelReport Report(double? cut = 0.1, params ContourPoint[] curve) =>
        new(0.5, 0.1, cut, Sweep, [0.5], new ContourScores(0.30, 0.20), new ContourScores(0.50, 0.10), 1, 1, 1) { ContourCurve = curve };

    static readonly ContourPoint[] FullCurve =
    [
        Point(0.0, 0.40, 0.15, 0.45, 0.30),
        Point(0.1, 0.30, 0.20, 0.50, 0.10),
        Point(0.2, 0.35, 0.25, 0.50, 0.05),
    ];

    [Fact]
    public void Each_measure_is_taken_at_its_own_best_threshold_and_a_tie_goes_to_the_lower_one()
    {
        var best = ContourOptimum.Of(Report(0.1, FullCurve))!;
        Assert.Equal(new ContourScores(0.40, 0.25), best.ContourF);
        Assert.Equal(new ContourThresholds(0.0, 0.2), best.Thresholds);
        Assert.Equal(new ContourScores(0.50, 0.30), best.PreciseContourF);
        // Precise all is 0.50 at 0.1 and at 0.2.
        Assert.Equal(new ContourThresholds(0.1, 0.0), best.PreciseThresholds);
        Assert.Equal("0.10 / 0.00", best.PreciseThresholds!.ToString());
    }

    [Fact]
    public void The_cut_the_run_was_made_at_counts_even_off_the_sweep()
    {
        // Cut by --threshold at 0.15, where (made-up) every measure is higher than on the curve.
        var report = Report(0.15, FullCurve) with { ContourF = new ContourScores(0.9, 0.8), PreciseContourF = new ContourScores(0.7, 0.6) };
        var best = ContourOptimum.Of(report)!;
        Assert.Equal(new ContourScores(0.9, 0.8), best.ContourF);
        Assert.Equal(new ContourThresholds(0.15, 0.15), best.Thresholds);
        Assert.Equal(new ContourScores(0.7, 0.6), best.PreciseContourF);
    }

    [Fact]
    public void A_curve_missing_a_threshold_of_the_sweep_or_data_without_background_has_no_optimum()
    {
        Assert.Null(ContourOptimum.Of(Report(0.1, FullCurve[0], FullCurve[1])));
        // The threshold the run was cut at needs no curve point: its own contour F is there.
        Assert.Equal(new ContourScores(0.40, 0.25), ContourOptimum.Of(Report(0.1, FullCurve[0], FullCurve[2]))!.ContourF);
        Assert.Null(ContourOptimum.Of(Report(0.1)));
        Assert.Null(ContourOptimum.Of(Report(null, FullCurve)));
        // Without precise masks, the precise fields stay null.
        var coarse = Report(0.1, FullCurve.Select(p => p with { PreciseContourF = null }).ToArray()) with { PreciseContourF = null };
        var best = ContourOptimum.Of(coarse)!;
        Assert.Equal(new ContourScores(0.40, 0.25), best.ContourF);
        Assert.Null(best.PreciseContourF);
        Assert.Null(best.PreciseThresholds);
    }

    [Fact]
    public void The_sweep_thresholds_are_the_mIoU_sweeps()
    {
        Assert.Equal(60, PseudoLabelEvaluation.SweepThresholds.Count);
        Assert.Equal(new BackgroundThresholdSweep(3).Thresholds, PseudoLabelEvaluation.SweepThresholds);
        Assert.Equal(0.59, PseudoLabelEvaluation.SweepThresholds[^1]);
    }
}
