using Hfpl.Evaluation;
using Hfpl.Samples.Baselines;
using Hfpl.Samples.Data;
using Hfpl.Samples.Training;
using static TorchSharp.torch;

namespace Hfpl.Samples.Inference;

/// <summary>Pseudo-label quality of one trained model on one dataset (docs/method.md section 4).</summary>
/// <param name="MeanIoU">mIoU at the best background threshold (data with background) or of the argmax (data without).</param>
/// <param name="BestThreshold">The best background threshold, or null for data with no background class.</param>
/// <param name="Curve">mIoU for every threshold of the sweep (one point with a NaN threshold for data without background).</param>
/// <param name="ClassIoU">IoU of every class at the best threshold.</param>
/// <param name="ContourF">Contour F-score against the masks (<see cref="ContourScores"/>).</param>
/// <param name="PreciseContourF">The same against the precise masks (MSRC <c>masks_hq/</c>) on the images that have one, else null.</param>
/// <param name="PreciseImages">How many images have a precise mask.</param>
/// <param name="ScoredImages">How many images have a mask and were scored.</param>
/// <param name="Images">Images that got pseudo-labels.</param>
public sealed record PseudoLabelReport(double MeanIoU, double? BestThreshold, double? Threshold, IReadOnlyList<ThresholdPoint> Curve, double[] ClassIoU,
    ContourScores ContourF, ContourScores? PreciseContourF, int PreciseImages, int ScoredImages, int Images)
{
    /// <summary>Contour F of the pseudo-labels decoded at each extra threshold asked for (empty when none was).</summary>
    public IReadOnlyList<ContourPoint> ContourCurve { get; init; } = [];

    /// <summary>Contour F of the pseudo-labels decoded at <paramref name="threshold"/>: the run's own when it was cut there, else the
    /// <see cref="ContourCurve"/> point, else null.</summary>
    public ContourPoint? ContourAt(double threshold) =>
        Threshold is { } cut && SameThreshold(cut, threshold) ? new ContourPoint(cut, ContourF, PreciseContourF)
            : ContourCurve.FirstOrDefault(p => SameThreshold(p.Threshold, threshold));

    /// <summary>Whether two background thresholds are one: within 1e-9, since a threshold read back from JSON or typed on the
    /// command line may differ from the sweep's in the last bits.</summary>
    internal static bool SameThreshold(double a, double b) => Math.Abs(a - b) < 1e-9;
}

/// <summary>Contour F of the pseudo-labels decoded at one background threshold.</summary>
/// <param name="Threshold">The background threshold.</param>
/// <param name="ContourF">Against the masks.</param>
/// <param name="PreciseContourF">Against the precise masks, or null when no image has one.</param>
public sealed record ContourPoint(double Threshold, ContourScores ContourF, ContourScores? PreciseContourF);

/// <summary>A contour F-score read two ways.</summary>
/// <param name="AllClasses">Mean over every foreground class, a class absent from both prediction and ground truth scoring 1 (docs/method.md).</param>
/// <param name="PresentClasses">Mean over the foreground classes present in the ground truth: no credit for classes nobody drew.</param>
public sealed record ContourScores(double AllClasses, double PresentClasses)
{
    /// <summary>Both means of an accumulator.</summary>
    public static ContourScores Of(ContourFScore score) => new(score.MeanFScore(), score.MeanFScoreOverPresentClasses());

    /// <summary>"F all / F present" in percent, e.g. "42.86 / 12.50".</summary>
    public override string ToString() => FormattableString.Invariant($"{100 * AllClasses:F2} / {100 * PresentClasses:F2}");
}

/// <summary>What <see cref="PseudoLabelEvaluation.Run"/> writes besides the scores.</summary>
/// <param name="Folder">Where <c>pseudo_labels/</c>, <c>overlays/</c> and <c>cams/</c> go; null writes nothing.</param>
/// <param name="Overlays">How many images (the first ones) get an overlay figure.</param>
/// <param name="Cams">Also write each image's CAMs as <c>cams/NAME.npy</c>: float32 <c>(P, H, W)</c> for its P labelled classes in label
/// order, and <c>cams/NAME.keys.npy</c>: int64 <c>(P)</c>, their class indices.</param>
public sealed record InferenceOutputs(string? Folder, int Overlays = 12, bool Cams = false);

/// <summary>
/// Runs multi-scale CAM inference over a dataset, sweeps the background threshold over the images that have masks,
/// decodes pseudo-labels, scores them (mIoU, contour F-score), and writes pseudo-label PNGs in the dataset's palette, overlay
/// figures and, on request, the CAMs as <c>.npy</c>.
/// </summary>
/// <remarks>
/// Images without a mask (image-level labels only) get pseudo-labels, overlays and CAMs but no score. The decoding threshold is
/// <c>threshold</c> when given; otherwise the sweep's best on the images with masks, and <see cref="DefaultThreshold"/> when no
/// image has one. With a fixed threshold (or data without a background class) every image is decoded as soon as its CAMs exist;
/// otherwise the CAMs of its labelled classes are kept until the sweep is done.
/// </remarks>
public static class PseudoLabelEvaluation
{
    /// <summary>The background threshold used when nothing can be swept (no image has a mask): 0.25, as SEAM's reference.</summary>
    public const double DefaultThreshold = 0.25;

    /// <summary>The thresholds of the mIoU sweep, 0.00..0.59 in steps of 0.01 (docs/method.md section 4): pass them as
    /// <c>contourThresholds</c> to score contour F at each (<see cref="ContourOptimum.Of"/>).</summary>
    public static IReadOnlyList<double> SweepThresholds { get; } = new BackgroundThresholdSweep(1).Thresholds;

    /// <summary>Evaluates <paramref name="model"/> on <paramref name="data"/>.</summary>
    /// <param name="model">A trained baseline.</param>
    /// <param name="data">Images with labels, and masks where there are any; read one at a time.</param>
    /// <param name="info">The dataset's classes and background convention.</param>
    /// <param name="scales">Inference scales; null for 0.5, 1, 1.5, 2.</param>
    /// <param name="outputs">What to write where; null writes nothing.</param>
    /// <param name="progress">Progress line target, or null.</param>
    /// <param name="longSide">Inference base size (long side in pixels), or null for each image's own size; see <see cref="CamInference.NormalisedCams"/>.</param>
    /// <param name="threshold">A fixed background threshold, or null to take the sweep's best.</param>
    /// <param name="contourThresholds">Extra background thresholds in [0, 1] at which the pseudo-labels are also decoded and scored for
    /// contour F only (<see cref="PseudoLabelReport.ContourCurve"/>): to compare two models' contours at a common threshold, since each
    /// one's mIoU-best threshold also moves its contours. Data with a background class only.</param>
    public static PseudoLabelReport Run(WsssBaseline model, IReadOnlyList<SegmentationSample> data, DatasetInfo info,
        double[]? scales = null, InferenceOutputs? outputs = null, TextWriter? progress = null, int? longSide = null, double? threshold = null,
        IReadOnlyList<double>? contourThresholds = null)
    {
        contourThresholds ??= [];
        if (contourThresholds.Any(t => !(t is >= 0 and <= 1)))
            throw new ArgumentOutOfRangeException(nameof(contourThresholds), "Background thresholds must lie in [0, 1].");
        if (contourThresholds.Count > 0 && !info.HasBackground)
            throw new ArgumentException("Data without a background class has no background threshold.", nameof(contourThresholds));
        var extra = contourThresholds.Select(t => (Threshold: t, Scoring: new ContourScoring(info))).ToArray();
        var mode = info.HasBackground ? BackgroundMode.Threshold : BackgroundMode.NoBackground;
        var sweep = new BackgroundThresholdSweep(info.NumLabels, mode, ignoreIndex: info.IgnoreIndex);
        var contour = new ContourScoring(info);
        var palette = LabelPalette.For(info);
        var scored = 0;
        var decodeAtOnce = threshold is not null || !info.HasBackground;
        var kept = new List<(int Index, int[] Labels, float[] Cams)>();
        var bar = progress is null ? null : new ProgressLine("infer", data.Count, progress);
        var device = model.parameters().First().device;

        void Finish(SegmentationSample sample, int index, float[] cams, double? t)
        {
            var prediction = Decode(cams, sample, info, t);
            contour.Add(prediction, sample);
            if (extra.Length > 0 && (sample.HasMask || sample.PreciseMask is not null))
            {
                // One pass over the CAMs for every extra threshold (extra thresholds need a background class).
                var decoder = new ThresholdDecoder(cams, sample);
                foreach (var (at, scoring) in extra) scoring.Add(at == t ? prediction : decoder.At(at), sample);
            }
            if (outputs?.Folder is not { } folder) return;
            PngWriter.WriteIndexed(Path.Combine(folder, "pseudo_labels", sample.Id + ".png"), prediction, palette);
            if (index < outputs.Overlays) WriteOverlay(Path.Combine(folder, "overlays", sample.Id + ".png"), sample, cams, prediction, info, palette);
        }

        for (var i = 0; i < data.Count; i++)
        {
            var sample = data[i];
            float[] cams;
            using (var scope = NewDisposeScope())
            {
                var labels = sample.LabelTensor();
                var normalised = CamInference.NormalisedCams(model, sample.ImageTensor(device), labels.to(device), scales, longSide: longSide).cpu();
                if (sample.HasMask)
                {
                    sweep.Add(normalised, labels, sample.MaskTensor());
                    scored++;
                }
                cams = normalised.data<float>().ToArray();
            }
            var present = Enumerable.Range(0, info.NumLabels).Where(k => sample.Labels[k] > 0).ToArray();
            if (outputs is { Folder: { } folder, Cams: true }) WriteCams(folder, sample, present, cams, info);
            if (decodeAtOnce) Finish(sample, i, cams, threshold);
            else kept.Add((i, present, Compact(cams, present, sample.Width * sample.Height)));
            bar?.Report(i + 1, new Dictionary<string, double>());
        }

        var sweepResult = scored > 0 ? sweep.Compute() : null;
        double? used = !info.HasBackground ? null : threshold ?? sweepResult?.Best.Threshold ?? DefaultThreshold;
        foreach (var (index, present, compact) in kept)
        {
            var sample = data[index];
            Finish(sample, index, Expand(compact, present, info.NumLabels, sample.Width * sample.Height), used);
        }
        return new PseudoLabelReport(
            sweepResult?.Best.MeanIoU ?? double.NaN, info.HasBackground ? sweepResult?.Best.Threshold : null, used,
            sweepResult?.Curve ?? [], sweepResult is null ? [] : sweepResult.Matrices[sweepResult.BestIndex].ClassIoU(),
            contour.Masks, contour.Precise, contour.PreciseImages, scored, data.Count)
        {
            ContourCurve = extra.Select(e => new ContourPoint(e.Threshold, e.Scoring.Masks, e.Scoring.Precise)).ToList(),
        };
    }

    /// <summary>The channels of the labelled classes only: what has to be kept until the threshold is known.</summary>
    static float[] Compact(float[] cams, int[] present, int pixels)
    {
        var compact = new float[present.Length * pixels];
        for (var j = 0; j < present.Length; j++) Array.Copy(cams, present[j] * pixels, compact, j * pixels, pixels);
        return compact;
    }

    static float[] Expand(float[] compact, int[] present, int labels, int pixels)
    {
        var cams = new float[labels * pixels];
        for (var j = 0; j < present.Length; j++) Array.Copy(compact, j * pixels, cams, present[j] * pixels, pixels);
        return cams;
    }

    static void WriteCams(string folder, SegmentationSample sample, int[] present, float[] cams, DatasetInfo info)
    {
        var pixels = sample.Width * sample.Height;
        NpyWriter.Write(Path.Combine(folder, "cams", sample.Id + ".npy"), Compact(cams, present, pixels), present.Length, sample.Height, sample.Width);
        NpyWriter.Write(Path.Combine(folder, "cams", sample.Id + ".keys.npy"), present.Select(k => (long)info.LabelToClass(k)).ToArray(), present.Length);
    }

    /// <summary>The pseudo-label of one image from its normalised CAMs <c>(K, H, W)</c>.</summary>
    static IndexMask Decode(float[] cams, SegmentationSample sample, DatasetInfo info, double? threshold)
    {
        using var scope = NewDisposeScope();
        var k = sample.Labels.Count;
        var scores = tensor(cams, [1, k, sample.Height, sample.Width]);
        var labels = sample.LabelTensor().unsqueeze(0);
        var decoded = hfpl.pseudo_labels(scores, labels, threshold)[0];
        // Label index to class index: VOC-style data decode to 0 (background) or 1 + k, which is already the class;
        // data without background decode to k, mapped through the dataset's label order.
        var values = decoded.to(ScalarType.Int32).data<int>().ToArray();
        var mask = new IndexMask(sample.Width, sample.Height);
        for (var p = 0; p < values.Length; p++)
            mask.Values[p] = values[p] == hfpl.IgnoreIndex ? (byte)info.IgnoreIndex
                : info.HasBackground ? (byte)values[p] : (byte)info.LabelToClass(values[p]);
        return mask;
    }

    /// <summary>The overlay figure: titled panels, colour bar, legend (<see cref="OverlayFigure"/>).</summary>
    static void WriteOverlay(string path, SegmentationSample sample, float[] cams, IndexMask prediction, DatasetInfo info, LabelPalette palette)
    {
        var pixels = sample.Width * sample.Height;
        var strongest = new float[pixels];
        for (var c = 0; c < sample.Labels.Count; c++)
            if (sample.Labels[c] > 0)
                for (var p = 0; p < pixels; p++) strongest[p] = Math.Max(strongest[p], cams[c * pixels + p]);
        PngWriter.WriteRgb(path, OverlayFigure.Draw(sample.Image, strongest, prediction, info, palette).Figure);
    }
}
