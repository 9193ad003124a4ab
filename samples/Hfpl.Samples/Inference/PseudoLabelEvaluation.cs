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
/// <param name="Images">Images evaluated.</param>
public sealed record PseudoLabelReport(double MeanIoU, double? BestThreshold, IReadOnlyList<ThresholdPoint> Curve, double[] ClassIoU,
    ContourScores ContourF, ContourScores? PreciseContourF, int PreciseImages, int Images);

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

/// <summary>
/// Runs multi-scale CAM inference over a dataset, sweeps the background threshold, decodes pseudo-labels at the
/// best threshold, scores them (mIoU, contour F-score), and optionally writes pseudo-label PNGs with a colour
/// palette and CAM overlays.
/// </summary>
public static class PseudoLabelEvaluation
{
    /// <summary>Evaluates <paramref name="model"/> on <paramref name="data"/>.</summary>
    /// <param name="model">A trained baseline.</param>
    /// <param name="data">Images with ground truth.</param>
    /// <param name="info">The dataset's classes and background convention.</param>
    /// <param name="scales">Inference scales; null for 0.5, 1, 1.5, 2.</param>
    /// <param name="outputFolder">Where to write <c>pseudo_labels/</c> and <c>overlays/</c>; null writes nothing.</param>
    /// <param name="overlays">How many images get a CAM overlay (the first ones).</param>
    /// <param name="progress">Progress line target, or null.</param>
    /// <param name="longSide">Inference base size (long side in pixels), or null for each image's own size; see <see cref="CamInference.NormalisedCams"/>.</param>
    public static PseudoLabelReport Run(WsssBaseline model, IReadOnlyList<SegmentationSample> data, DatasetInfo info,
        double[]? scales = null, string? outputFolder = null, int overlays = 12, TextWriter? progress = null, int? longSide = null)
    {
        var mode = info.HasBackground ? BackgroundMode.Threshold : BackgroundMode.NoBackground;
        var sweep = new BackgroundThresholdSweep(info.NumLabels, mode, ignoreIndex: info.IgnoreIndex);
        var bar = progress is null ? null : new ProgressLine("infer", data.Count, progress);
        var cams = new float[data.Count][];
        var device = model.parameters().First().device;
        for (var i = 0; i < data.Count; i++)
        {
            using var scope = NewDisposeScope();
            var sample = data[i];
            var labels = sample.LabelTensor();
            var normalised = CamInference.NormalisedCams(model, sample.ImageTensor(device), labels.to(device), scales, longSide: longSide).cpu();
            sweep.Add(normalised, labels, sample.MaskTensor());
            cams[i] = normalised.data<float>().ToArray();
            bar?.Report(i + 1, new Dictionary<string, double>());
        }
        var sweepResult = sweep.Compute();
        double? threshold = info.HasBackground ? sweepResult.Best.Threshold : null;

        var foreground = Enumerable.Range(0, info.NumLabels).Select(info.LabelToClass).ToArray();
        var contour = new ContourFScore(info.NumClasses, foreground, info.IgnoreIndex);
        var precise = new ContourFScore(info.NumClasses, foreground, info.IgnoreIndex);
        var preciseImages = 0;
        for (var i = 0; i < data.Count; i++)
        {
            var sample = data[i];
            var prediction = Decode(cams[i], sample, info, threshold);
            contour.Add(prediction.Values, sample.Mask.Values, sample.Height, sample.Width);
            if (sample.PreciseMask is { } hq)
            {
                precise.Add(prediction.Values, hq.Values, sample.Height, sample.Width);
                preciseImages++;
            }
            if (outputFolder is not null)
            {
                PngWriter.WriteIndexed(Path.Combine(outputFolder, "pseudo_labels", sample.Id + ".png"), prediction, LabelPalette.Voc);
                if (i < overlays) WriteOverlay(Path.Combine(outputFolder, "overlays", sample.Id + ".png"), sample, cams[i], prediction);
            }
        }
        var best = sweepResult.Best;
        return new PseudoLabelReport(best.MeanIoU, threshold, sweepResult.Curve, sweepResult.Matrices[sweepResult.BestIndex].ClassIoU(),
            ContourScores.Of(contour), preciseImages > 0 ? ContourScores.Of(precise) : null, preciseImages, data.Count);
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

    /// <summary>Image | CAM of the strongest present class | pseudo-label, side by side.</summary>
    static void WriteOverlay(string path, SegmentationSample sample, float[] cams, IndexMask prediction)
    {
        var pixels = sample.Width * sample.Height;
        var strongest = new float[pixels];
        for (var c = 0; c < sample.Labels.Count; c++)
            if (sample.Labels[c] > 0)
                for (var p = 0; p < pixels; p++) strongest[p] = Math.Max(strongest[p], cams[c * pixels + p]);
        var heat = CamHeatmap.Overlay(sample.Image, strongest);
        var labels = LabelPalette.Voc.Overlay(sample.Image, prediction, 0.6);
        RgbImage[] panels = [sample.Image, heat, labels];
        var strip = new RgbImage(panels.Length * sample.Width, sample.Height);
        var row = 3 * sample.Width;
        for (var y = 0; y < sample.Height; y++)
            for (var panel = 0; panel < panels.Length; panel++)
                Array.Copy(panels[panel].Pixels, y * row, strip.Pixels, y * panels.Length * row + panel * row, row);
        PngWriter.WriteRgb(path, strip);
    }
}
