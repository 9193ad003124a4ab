namespace Hfpl.Samples.Inference;

/// <summary>Each contour measure at its own best background threshold (<see cref="Of"/>).</summary>
/// <param name="ContourF">Against the masks: each mean at its best threshold.</param>
/// <param name="Thresholds">The thresholds those two were reached at.</param>
/// <param name="PreciseContourF">The same against the precise masks, or null when no image has one.</param>
/// <param name="PreciseThresholds">Their thresholds, or null.</param>
public sealed record ContourOptimum(
    ContourScores ContourF, ContourThresholds Thresholds, ContourScores? PreciseContourF, ContourThresholds? PreciseThresholds)
{
    /// <summary>
    /// Each contour measure at the background threshold that maximises it: the boundary-detection field's "optimal dataset scale"
    /// (ODS) F, the contour counterpart of <see cref="PseudoLabelReport.MeanIoU"/> at its best threshold. The maximum runs over
    /// <see cref="PseudoLabelReport.ContourCurve"/> and the threshold the pseudo-labels were cut at (ties go to the lower
    /// threshold). Null unless contour F was scored at every threshold of the report's mIoU sweep (the default sweep is
    /// <see cref="PseudoLabelEvaluation.SweepThresholds"/>), so that a best over a few chosen thresholds is never passed off as
    /// the best.
    /// </summary>
    public static ContourOptimum? Of(PseudoLabelReport report)
    {
        if (report.Threshold is not { } cut || report.Curve.Count == 0 || report.Curve.Any(p => report.ContourAt(p.Threshold) is null)) return null;
        var points = report.ContourCurve.Append(report.ContourAt(cut)!).OrderBy(p => p.Threshold).ToList();
        (double Value, double Threshold) Best(Func<ContourPoint, double> measure) =>
            points.Select(p => (Value: measure(p), p.Threshold)).Aggregate((best, p) => p.Value > best.Value ? p : best);
        var (all, present) = (Best(p => p.ContourF.AllClasses), Best(p => p.ContourF.PresentClasses));
        var optimum = new ContourOptimum(
            new ContourScores(all.Value, present.Value), new ContourThresholds(all.Threshold, present.Threshold), null, null);
        if (report.PreciseContourF is null) return optimum;
        var (preciseAll, precisePresent) = (Best(p => p.PreciseContourF!.AllClasses), Best(p => p.PreciseContourF!.PresentClasses));
        return optimum with
        {
            PreciseContourF = new ContourScores(preciseAll.Value, precisePresent.Value),
            PreciseThresholds = new ContourThresholds(preciseAll.Threshold, precisePresent.Threshold),
        };
    }
}

/// <summary>The background thresholds at which the two contour F means (<see cref="ContourScores"/>) peak.</summary>
/// <param name="AllClasses">Where the mean over every foreground class peaks.</param>
/// <param name="PresentClasses">Where the mean over the classes present in the ground truth peaks.</param>
public sealed record ContourThresholds(double AllClasses, double PresentClasses)
{
    /// <summary>"0.30 / 0.26".</summary>
    public override string ToString() => FormattableString.Invariant($"{AllClasses:F2} / {PresentClasses:F2}");
}

