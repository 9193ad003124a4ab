namespace Hfpl.Evaluation;

/// <summary>
/// Outcome of a <see cref="BackgroundThresholdSweep"/>: the mIoU at every threshold, the best point and the
/// confusion matrix behind each point.
/// </summary>
public sealed class ThresholdSweepResult
{
    /// <summary>Pairs each point of the curve with its confusion matrix; the lists must have the same length, at least 1.</summary>
    /// <param name="curve">Threshold and mIoU for each threshold, in sweep order.</param>
    /// <param name="matrices">Confusion matrix of each threshold, in the order of <paramref name="curve"/>.</param>
    public ThresholdSweepResult(IReadOnlyList<ThresholdPoint> curve, IReadOnlyList<ConfusionMatrix> matrices)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(matrices);
        if (curve.Count == 0) throw new ArgumentException("curve must have at least one point.", nameof(curve));
        if (matrices.Count != curve.Count)
            throw new ArgumentException(
                $"curve and matrices must have the same length, got curve with {curve.Count} and matrices with {matrices.Count}.",
                nameof(matrices));
        Curve = curve;
        Matrices = matrices;
        BestIndex = 0;
        for (var i = 1; i < curve.Count; i++)
            if (curve[i].MeanIoU > curve[BestIndex].MeanIoU || (double.IsNaN(curve[BestIndex].MeanIoU) && !double.IsNaN(curve[i].MeanIoU)))
                BestIndex = i;
    }

    /// <summary>Threshold and mIoU for every swept threshold, in increasing threshold order.</summary>
    public IReadOnlyList<ThresholdPoint> Curve { get; }

    /// <summary>The confusion matrix of each point of <see cref="Curve"/>.</summary>
    public IReadOnlyList<ConfusionMatrix> Matrices { get; }

    /// <summary>
    /// Index in <see cref="Curve"/> of the highest mIoU; on a tie the first (smallest threshold) wins, and NaN
    /// (no pixel counted) never beats a number.
    /// </summary>
    public int BestIndex { get; }

    /// <summary>The point with the highest mIoU, <c>Curve[BestIndex]</c>.</summary>
    public ThresholdPoint Best => Curve[BestIndex];
}
