namespace Hfpl.Evaluation;

/// <summary>One point of a background-threshold curve: the mIoU of the pseudo-labels made with one threshold.</summary>
/// <param name="Threshold">Background threshold t; <see cref="double.NaN"/> in <see cref="BackgroundMode.NoBackground"/> mode, where no threshold applies.</param>
/// <param name="MeanIoU">mIoU over the dataset at this threshold (see <see cref="ConfusionMatrix.MeanIoU"/>).</param>
public readonly record struct ThresholdPoint(double Threshold, double MeanIoU);
