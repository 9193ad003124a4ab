using System.Numerics;
using Hfpl.Internal;
using Hfpl.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Evaluation;

// CAM pseudo-label evaluation of PSA (Ahn & Kwak, CVPR 2018) and IRN (Ahn, Cho & Kwak, CVPR 2019), as in
// docs/method.md section 4: the normalised CAMs of the classes present in the image (ground-truth image labels) are
// stacked under a constant background score t, the pixel label is their argmax, and t is swept 0.00..0.59 in
// steps of 0.01. The reference code pads a float32 CAM array with t, so the comparison is made in float32.

/// <summary>
/// Streaming evaluation of CAM pseudo-labels over a range of background thresholds: one confusion matrix per
/// threshold, pooled over every image added, giving the mIoU curve and its best point.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="BackgroundMode.Threshold"/> (data with a background class 0, CAM channel c is class c + 1): at threshold t
/// a pixel is labelled 0 unless the largest CAM over the present classes is strictly greater than t (a tie goes to the
/// background, as argmax takes the first entry), otherwise 1 + the channel of that largest CAM (the first such channel
/// on a tie). An image with no present class is background everywhere.
/// </para>
/// <para>
/// <see cref="BackgroundMode.NoBackground"/> (data without a background class, CAM channel c is class c): the label is the
/// argmax over the present classes; every pixel of an image with no present class is void and left out.
/// </para>
/// <para>
/// The per-pixel maximum and argmax are computed once per image; each pixel then adds one count to a histogram
/// over (ground truth, channel, number of thresholds below its score), from which <see cref="Compute"/> builds all
/// matrices, so the cost per image does not grow with the number of thresholds. Ground-truth pixels equal to the
/// ignore index are left out. Every <c>Add</c> checks its whole input before counting, so a call that throws changes nothing.
/// Not thread-safe: fill one sweep per thread and <see cref="Merge"/> them.
/// </para>
/// </remarks>
public sealed class BackgroundThresholdSweep
{
    /// <summary>First threshold of the default sweep, 0.00.</summary>
    public const double DefaultFirstThreshold = 0.0;

    /// <summary>Last threshold of the default sweep, 0.59.</summary>
    public const double DefaultLastThreshold = 0.59;

    /// <summary>Step of the default sweep, 0.01 (60 thresholds).</summary>
    public const double DefaultThresholdStep = 0.01;

    readonly double[] thresholds;
    readonly float[] thresholdsAsFloat;
    readonly double firstThreshold;
    readonly double thresholdStep;

    // Threshold mode: counts[(g * K + channel) * (T + 1) + k], where k is the number of thresholds strictly below the
    // pixel's best present CAM: the pixel is labelled 1 + channel at thresholds 0..k-1 and 0 from k on.
    // NoBackground mode: counts[g * K + channel].
    readonly long[] counts;

    float[] bestScore = [];
    int[] bestChannel = [];

    /// <summary>Creates an empty sweep.</summary>
    /// <param name="foregroundClasses">
    /// Number K of CAM channels, one per class with an image-level label: the foreground classes (the data then has
    /// K + 1 classes) in <see cref="BackgroundMode.Threshold"/> mode, all K classes in <see cref="BackgroundMode.NoBackground"/> mode.
    /// </param>
    /// <param name="mode">Whether the data has a background class scored by a threshold.</param>
    /// <param name="firstThreshold">Smallest threshold swept; ignored in <see cref="BackgroundMode.NoBackground"/> mode.</param>
    /// <param name="lastThreshold">Largest threshold swept (included when reached by whole steps); ignored in <see cref="BackgroundMode.NoBackground"/> mode.</param>
    /// <param name="thresholdStep">Distance between thresholds, at least 1e-9; ignored in <see cref="BackgroundMode.NoBackground"/> mode.</param>
    /// <param name="ignoreIndex">Ground-truth label of void pixels, left out; must not be a class index.</param>
    public BackgroundThresholdSweep(
        int foregroundClasses,
        BackgroundMode mode = BackgroundMode.Threshold,
        double firstThreshold = DefaultFirstThreshold,
        double lastThreshold = DefaultLastThreshold,
        double thresholdStep = DefaultThresholdStep,
        int ignoreIndex = LabelMaps.DefaultIgnoreIndex)
    {
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown background mode.");
        Check.Positive(foregroundClasses, nameof(foregroundClasses));
        ForegroundClasses = foregroundClasses;
        Mode = mode;
        Classes = mode == BackgroundMode.Threshold ? foregroundClasses + 1 : foregroundClasses;
        LabelMaps.CheckClassesAndIgnoreIndex(Classes, ignoreIndex, nameof(foregroundClasses));
        IgnoreIndex = ignoreIndex;

        if (mode == BackgroundMode.NoBackground)
        {
            thresholds = [];
            thresholdsAsFloat = [];
            counts = new long[(long)Classes * foregroundClasses];
            return;
        }

        if (!double.IsFinite(firstThreshold))
            throw new ArgumentOutOfRangeException(nameof(firstThreshold), firstThreshold, "firstThreshold must be finite.");
        if (!double.IsFinite(lastThreshold) || lastThreshold < firstThreshold)
            throw new ArgumentOutOfRangeException(nameof(lastThreshold), lastThreshold, $"lastThreshold must be finite and at least firstThreshold ({firstThreshold}).");
        if (!(thresholdStep >= 1e-9) || double.IsInfinity(thresholdStep))
            throw new ArgumentOutOfRangeException(nameof(thresholdStep), thresholdStep, "thresholdStep must be a finite number of at least 1e-9.");
        // The small slack keeps the last threshold when (last - first) / step lands just below a whole number (0.59 / 0.01).
        var steps = Math.Floor((lastThreshold - firstThreshold) / thresholdStep + 1e-9);
        if (steps >= 100_000)
            throw new ArgumentOutOfRangeException(nameof(thresholdStep), thresholdStep, "The sweep must have at most 100000 thresholds.");
        var count = (int)steps + 1;
        this.firstThreshold = firstThreshold;
        this.thresholdStep = thresholdStep;
        thresholds = new double[count];
        thresholdsAsFloat = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Rounding gives the decimal values one expects (0.07, not 0.07000000000000001).
            thresholds[i] = Math.Round(firstThreshold + i * thresholdStep, 12);
            thresholdsAsFloat[i] = (float)thresholds[i];
        }
        counts = new long[(long)Classes * foregroundClasses * (count + 1)];
    }

    /// <summary>Number K of CAM channels (classes with an image-level label).</summary>
    public int ForegroundClasses { get; }

    /// <summary>Number of classes of the pseudo-labels and ground truth: K + 1 with a background class, K without.</summary>
    public int Classes { get; }

    /// <summary>Whether the data has a background class scored by a threshold.</summary>
    public BackgroundMode Mode { get; }

    /// <summary>Ground-truth label of void pixels.</summary>
    public int IgnoreIndex { get; }

    /// <summary>The swept thresholds in increasing order; empty in <see cref="BackgroundMode.NoBackground"/> mode.</summary>
    public IReadOnlyList<double> Thresholds => Array.AsReadOnly(thresholds);

    /// <summary>Number of images added so far.</summary>
    public long ImageCount { get; private set; }

    /// <summary>Adds one image given as flat spans.</summary>
    /// <param name="cams">Normalised CAMs, shape (K, H, W) in row-major order, values in [0, 1]; only the channels of present classes are read and must not be NaN.</param>
    /// <param name="imageLabels">Image-level labels, length K: whether each CAM channel's class is present in the image.</param>
    /// <param name="groundTruth">Ground-truth mask, shape (H, W) in row-major order, class indices or the ignore index.</param>
    /// <exception cref="ArgumentException">Lengths that do not fit (K, H, W), NaN in a present CAM, or a ground-truth value that is neither a class nor the ignore index.</exception>
    public void Add(ReadOnlySpan<float> cams, ReadOnlySpan<bool> imageLabels, ReadOnlySpan<byte> groundTruth)
    {
        CheckLengths(cams.Length, imageLabels.Length, groundTruth.Length);
        CheckImage(cams, imageLabels, groundTruth);
        AccumulateImage(cams, imageLabels, groundTruth);
    }

    /// <summary>Adds one image, or a batch, given as tensors on any device (copied to the CPU).</summary>
    /// <param name="cams">Normalised CAMs, shape (K, H, W) or (B, K, H, W), float32 or float64, values in [0, 1]; present channels must not be NaN.</param>
    /// <param name="imageLabels">Image-level labels, shape (K) or (B, K), entries 0 or 1 (any dtype).</param>
    /// <param name="groundTruth">Ground-truth masks, shape (H, W) or (B, H, W), integer dtype, class indices or the ignore index.</param>
    /// <exception cref="ArgumentException">Wrong ranks, shapes or dtypes, labels other than 0 and 1, NaN in a present CAM, or a ground-truth value that is neither a class nor the ignore index.</exception>
    public void Add(Tensor cams, Tensor imageLabels, Tensor groundTruth)
    {
        TorchNative.EnsureLoaded();
        CheckTensors(cams, imageLabels, groundTruth);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var hostCams = cams.detach().cpu().to_type(ScalarType.Float32).contiguous();
        var hostLabels = imageLabels.detach().cpu().ne(Scalars.Zero).contiguous();
        var g = LabelMaps.ToHost(groundTruth, groundTruth.dtype); // read in its own dtype: no conversion kernel
        var camValues = LabelMaps.HostSpan<float>(hostCams);
        var labelValues = LabelMaps.HostSpan<bool>(hostLabels);
        var batch = cams.dim() == 4 ? (int)cams.shape[0] : 1;
        switch (g.dtype)
        {
            case ScalarType.Byte: AddBatch(camValues, labelValues, LabelMaps.HostSpan<byte>(g), batch); break;
            case ScalarType.Int8: AddBatch(camValues, labelValues, LabelMaps.HostSpan<sbyte>(g), batch); break;
            case ScalarType.Int16: AddBatch(camValues, labelValues, LabelMaps.HostSpan<short>(g), batch); break;
            case ScalarType.Int32: AddBatch(camValues, labelValues, LabelMaps.HostSpan<int>(g), batch); break;
            default: AddBatch(camValues, labelValues, LabelMaps.HostSpan<long>(g), batch); break;
        }
    }

    /// <summary>Adds the counts of <paramref name="other"/>, a sweep with the same settings (for example filled on another thread).</summary>
    /// <exception cref="ArgumentException"><paramref name="other"/> has another mode, class count, thresholds or ignore index.</exception>
    public void Merge(BackgroundThresholdSweep other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Mode != Mode || other.ForegroundClasses != ForegroundClasses || other.IgnoreIndex != IgnoreIndex
            || !other.thresholds.AsSpan().SequenceEqual(thresholds))
            throw new ArgumentException("other must have the same mode, classes, thresholds and ignore index.", nameof(other));
        for (var i = 0; i < counts.Length; i++) counts[i] += other.counts[i];
        ImageCount += other.ImageCount;
    }

    /// <summary>
    /// The mIoU curve over the thresholds, its best point and the confusion matrix of each threshold, from every
    /// image added so far. In <see cref="BackgroundMode.NoBackground"/> mode the curve has a single point whose
    /// threshold is <see cref="double.NaN"/>.
    /// </summary>
    public ThresholdSweepResult Compute()
    {
        var k = ForegroundClasses;
        if (Mode == BackgroundMode.NoBackground)
        {
            var matrix = new ConfusionMatrix(Classes, IgnoreIndex);
            for (var g = 0; g < Classes; g++)
                for (var c = 0; c < k; c++)
                    if (counts[g * k + c] != 0) matrix.AddCount(g, c, counts[g * k + c]);
            return new ThresholdSweepResult([new ThresholdPoint(double.NaN, matrix.MeanIoU())], [matrix]);
        }

        var t = thresholds.Length;
        var matrices = new ConfusionMatrix[t];
        for (var i = 0; i < t; i++) matrices[i] = new ConfusionMatrix(Classes, IgnoreIndex);
        for (var g = 0; g < Classes; g++)
            for (var c = 0; c < k; c++)
            {
                var row = counts.AsSpan((int)(((long)g * k + c) * (t + 1)), t + 1);
                long total = 0;
                foreach (var n in row) total += n;
                if (total == 0) continue;
                long background = 0;
                for (var i = 0; i < t; i++)
                {
                    background += row[i]; // pixels whose score is at most threshold i
                    if (background != 0) matrices[i].AddCount(g, 0, background);
                    if (total != background) matrices[i].AddCount(g, c + 1, total - background);
                }
            }
        var curve = new ThresholdPoint[t];
        for (var i = 0; i < t; i++) curve[i] = new ThresholdPoint(thresholds[i], matrices[i].MeanIoU());
        return new ThresholdSweepResult(curve, matrices);
    }

    void AddBatch<T>(ReadOnlySpan<float> cams, ReadOnlySpan<bool> present, ReadOnlySpan<T> groundTruth, int batch)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (batch == 0) return;
        var pixels = groundTruth.Length / batch;
        var k = ForegroundClasses;
        for (var b = 0; b < batch; b++)
            CheckImage(cams.Slice(b * k * pixels, k * pixels), present.Slice(b * k, k), groundTruth.Slice(b * pixels, pixels));
        for (var b = 0; b < batch; b++)
            AccumulateImage(cams.Slice(b * k * pixels, k * pixels), present.Slice(b * k, k), groundTruth.Slice(b * pixels, pixels));
    }

    void CheckLengths(int camsLength, int labelsLength, int pixels)
    {
        if (labelsLength != ForegroundClasses)
            throw new ArgumentException($"imageLabels must have length K = {ForegroundClasses}, got {labelsLength}.", "imageLabels");
        if (camsLength != (long)ForegroundClasses * pixels)
            throw new ArgumentException(
                $"cams must have shape (K, H, W) with K = {ForegroundClasses} and H * W = {pixels} pixels of groundTruth, i.e. {(long)ForegroundClasses * pixels} values, got {camsLength}.",
                "cams");
    }

    void CheckTensors(Tensor cams, Tensor imageLabels, Tensor groundTruth)
    {
        Check.NotNull(cams, nameof(cams));
        Check.NotNull(imageLabels, nameof(imageLabels));
        Check.NotNull(groundTruth, nameof(groundTruth));
        if (cams.dim() != 3 && cams.dim() != 4)
            throw new ArgumentException($"cams must have shape (K, H, W) or (B, K, H, W), got {Check.Shape(cams)}.", nameof(cams));
        Check.FloatingPoint(cams, nameof(cams));
        var batched = cams.dim() == 4;
        if (cams.shape[^3] != ForegroundClasses)
            throw new ArgumentException($"cams must have K = {ForegroundClasses} channels, got shape {Check.Shape(cams)}.", nameof(cams));

        long[] labelsShape = batched ? [cams.shape[0], ForegroundClasses] : [ForegroundClasses];
        if (!imageLabels.shape.SequenceEqual(labelsShape))
            throw new ArgumentException(
                $"imageLabels must have shape {(batched ? "(B, K)" : "(K)")} = [{string.Join(", ", labelsShape)}] to match cams {Check.Shape(cams)}, got {Check.Shape(imageLabels)}.",
                nameof(imageLabels));

        long[] groundTruthShape = batched ? [cams.shape[0], cams.shape[2], cams.shape[3]] : [cams.shape[1], cams.shape[2]];
        if (!groundTruth.shape.SequenceEqual(groundTruthShape))
            throw new ArgumentException(
                $"groundTruth must have shape {(batched ? "(B, H, W)" : "(H, W)")} = [{string.Join(", ", groundTruthShape)}] to match cams {Check.Shape(cams)}, got {Check.Shape(groundTruth)}.",
                nameof(groundTruth));
        if (!LabelMaps.IsInteger(groundTruth.dtype))
            throw new ArgumentException($"groundTruth must have an integer dtype, got {groundTruth.dtype}.", nameof(groundTruth));

        Check.ZeroOrOne(imageLabels, nameof(imageLabels));
    }

    void CheckImage<T>(ReadOnlySpan<float> cams, ReadOnlySpan<bool> present, ReadOnlySpan<T> groundTruth)
        where T : unmanaged, IBinaryInteger<T>
    {
        LabelMaps.CheckValues(groundTruth, Classes, IgnoreIndex, nameof(groundTruth));
        var pixels = groundTruth.Length;
        for (var c = 0; c < ForegroundClasses; c++)
        {
            if (!present[c]) continue;
            if (HasNaN(cams.Slice(c * pixels, pixels)))
                throw new ArgumentException($"cams contains NaN in channel {c}, a class present in the image.", nameof(cams));
        }
    }

    static bool HasNaN(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
            if (float.IsNaN(v)) return true;
        return false;
    }

    void AccumulateImage<T>(ReadOnlySpan<float> cams, ReadOnlySpan<bool> present, ReadOnlySpan<T> groundTruth)
        where T : unmanaged, IBinaryInteger<T>
    {
        var pixels = groundTruth.Length;
        var k = ForegroundClasses;
        if (bestScore.Length < pixels)
        {
            bestScore = new float[pixels];
            bestChannel = new int[pixels];
        }
        var best = bestScore.AsSpan(0, pixels);
        var channel = bestChannel.AsSpan(0, pixels);

        // Maximum and first argmax over the present classes, once per image.
        var anyPresent = false;
        for (var c = 0; c < k; c++)
        {
            if (!present[c]) continue;
            var map = cams.Slice(c * pixels, pixels);
            if (!anyPresent)
            {
                map.CopyTo(best);
                channel.Fill(c);
                anyPresent = true;
                continue;
            }
            for (var i = 0; i < pixels; i++)
                if (map[i] > best[i])
                {
                    best[i] = map[i];
                    channel[i] = c;
                }
        }
        ImageCount++;

        if (Mode == BackgroundMode.NoBackground)
        {
            if (!anyPresent) return; // void everywhere
            for (var i = 0; i < pixels; i++)
            {
                var g = int.CreateTruncating(groundTruth[i]);
                if (g == IgnoreIndex) continue;
                counts[g * k + channel[i]]++;
            }
            return;
        }

        var stride = thresholds.Length + 1;
        for (var i = 0; i < pixels; i++)
        {
            var g = int.CreateTruncating(groundTruth[i]);
            if (g == IgnoreIndex) continue;
            // With no present class the pixel is background at every threshold: k = 0 (the channel is then irrelevant).
            var below = anyPresent ? CountThresholdsBelow(best[i]) : 0;
            var c = anyPresent ? channel[i] : 0;
            counts[((long)g * k + c) * stride + below]++;
        }
    }

    /// <summary>Number of thresholds strictly below <paramref name="score"/> (compared in float32).</summary>
    int CountThresholdsBelow(float score)
    {
        var t = thresholdsAsFloat;
        // Guess from the uniform spacing, then correct against the stored values, so rounding cannot mislead.
        var guess = (score - firstThreshold) / thresholdStep;
        var k = guess <= 0 ? 0 : guess >= t.Length ? t.Length : (int)Math.Ceiling(guess);
        while (k > 0 && t[k - 1] >= score) k--;
        while (k < t.Length && t[k] < score) k++;
        return k;
    }
}
