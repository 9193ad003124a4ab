using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Evaluation;

// Contour accuracy F of the DAVIS benchmark (Perazzi et al., CVPR 2016, `f_boundary` of the DAVIS evaluation code),
// pooled per class over the dataset as in docs/method.md section 4: boundary maps of the per-class binary masks, a
// tolerance of ceil(0.008 * image diagonal) pixels, disk dilation, precision and recall summed over images.

/// <summary>
/// Streaming contour F-score of a semantic segmentation: for every class, boundary precision and recall within a
/// tolerance, with numerators and denominators summed over the whole dataset, and F averaged over foreground classes.
/// </summary>
/// <remarks>
/// <para>
/// For each image and class c the binary masks are <c>label == c</c> for prediction and ground truth; void (the ignore
/// index) belongs to no class, so it is background in every binary mask, on either side. Boundary maps follow
/// <see cref="BoundaryMap"/>. The tolerance radius is <see cref="ToleranceRadius"/> of the image size, and each boundary
/// map is dilated with a disk of that radius (<see cref="DiskDilation"/>).
/// </para>
/// <para>
/// Per class, precision = (predicted boundary pixels on the dilated ground-truth boundary) / (predicted boundary pixels)
/// and recall = (ground-truth boundary pixels on the dilated predicted boundary) / (ground-truth boundary pixels), each
/// numerator and denominator summed over all images, so large images and frequent classes weigh more than in a mean of
/// per-image scores. F = 2PR / (P + R), 0 when P + R = 0. A class with no boundary pixel on either side in the whole
/// dataset scores F = P = R = 1; with boundary pixels on one side only it scores F = 0 (P = 1, R = 0 without predicted
/// boundary; P = 0, R = 1 without ground-truth boundary, the DAVIS convention). A class is "absent" here when it has no
/// boundary pixel: a class filling whole images has none.
/// </para>
/// <para>
/// Every <c>Add</c> checks its whole input before counting, so a call that throws changes nothing. Not thread-safe
/// (it reuses scratch buffers): fill one accumulator per thread and <see cref="Merge"/> them.
/// </para>
/// </remarks>
public sealed class ContourFScore
{
    /// <summary>Tolerance as a fraction of the image diagonal, 0.008 (DAVIS).</summary>
    public const double ToleranceFraction = 0.008;

    readonly int[] foregroundClasses;
    readonly long[] predictedBoundary;
    readonly long[] matchedPredictedBoundary;
    readonly long[] groundTruthBoundary;
    readonly long[] matchedGroundTruthBoundary;
    readonly bool[] groundTruthPresent;
    readonly List<int>[] predictionPixels;
    readonly List<int>[] groundTruthPixels;
    bool[] scratch = [];
    int cachedRadius = -1;
    int[] cachedHalfWidths = [];

    /// <summary>Creates an empty accumulator.</summary>
    /// <param name="classes">Number of classes C; labels are 0..C-1.</param>
    /// <param name="foregroundClasses">
    /// The distinct class indices whose F enters <see cref="MeanFScore"/>: 1..K for data with a background class 0
    /// (VOC: <c>Enumerable.Range(1, 20)</c>), every class for data without one (MSRC-21: <c>Enumerable.Range(0, 21)</c>).
    /// </param>
    /// <param name="ignoreIndex">Label of void pixels, background in every binary mask; must not be a class index.</param>
    public ContourFScore(int classes, IEnumerable<int> foregroundClasses, int ignoreIndex = LabelMaps.DefaultIgnoreIndex)
    {
        LabelMaps.CheckClassesAndIgnoreIndex(classes, ignoreIndex, nameof(classes));
        ArgumentNullException.ThrowIfNull(foregroundClasses);
        var foreground = foregroundClasses.ToArray();
        if (foreground.Length == 0)
            throw new ArgumentException("foregroundClasses must name at least one class.", nameof(foregroundClasses));
        foreach (var c in foreground)
            if ((uint)c >= (uint)classes)
                throw new ArgumentException($"foregroundClasses contains {c}, which is not a class index in [0, {classes}).", nameof(foregroundClasses));
        if (foreground.Distinct().Count() != foreground.Length)
            throw new ArgumentException("foregroundClasses must not repeat a class.", nameof(foregroundClasses));

        Classes = classes;
        IgnoreIndex = ignoreIndex;
        this.foregroundClasses = foreground;
        predictedBoundary = new long[classes];
        matchedPredictedBoundary = new long[classes];
        groundTruthBoundary = new long[classes];
        matchedGroundTruthBoundary = new long[classes];
        groundTruthPresent = new bool[classes];
        predictionPixels = new List<int>[classes];
        groundTruthPixels = new List<int>[classes];
        for (var c = 0; c < classes; c++)
        {
            predictionPixels[c] = [];
            groundTruthPixels[c] = [];
        }
    }

    /// <summary>Number of classes C.</summary>
    public int Classes { get; }

    /// <summary>The classes averaged by <see cref="MeanFScore"/>.</summary>
    public IReadOnlyList<int> ForegroundClasses => Array.AsReadOnly(foregroundClasses);

    /// <summary>Label of void pixels.</summary>
    public int IgnoreIndex { get; }

    /// <summary>Number of images added so far.</summary>
    public long ImageCount { get; private set; }

    /// <summary>
    /// Tolerance radius in pixels for an image of <paramref name="height"/> x <paramref name="width"/>:
    /// ceil(0.008 * sqrt(H² + W²)), e.g. 5 at 500 x 375; at least 1.
    /// </summary>
    public static int ToleranceRadius(int height, int width)
    {
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be positive.");
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive.");
        var diagonal = Math.Sqrt((double)height * height + (double)width * width);
        return (int)Math.Ceiling(ToleranceFraction * diagonal);
    }

    /// <summary>Adds one image given as flat label maps.</summary>
    /// <param name="prediction">Predicted labels, shape (H, W) in row-major order, class indices or the ignore index.</param>
    /// <param name="groundTruth">Ground-truth labels, shape (H, W) in row-major order, class indices or the ignore index.</param>
    /// <param name="height">Number of rows H, positive.</param>
    /// <param name="width">Number of columns W, positive.</param>
    /// <exception cref="ArgumentException">A length other than H * W, or a value that is neither a class nor the ignore index.</exception>
    public void Add(ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> groundTruth, int height, int width) =>
        AddChecked(prediction, groundTruth, height, width);

    /// <summary>Adds one image given as flat label maps.</summary>
    /// <param name="prediction">Predicted labels, shape (H, W) in row-major order, class indices or the ignore index.</param>
    /// <param name="groundTruth">Ground-truth labels, shape (H, W) in row-major order, class indices or the ignore index.</param>
    /// <param name="height">Number of rows H, positive.</param>
    /// <param name="width">Number of columns W, positive.</param>
    /// <exception cref="ArgumentException">A length other than H * W, or a value that is neither a class nor the ignore index.</exception>
    public void Add(ReadOnlySpan<int> prediction, ReadOnlySpan<int> groundTruth, int height, int width) =>
        AddChecked(prediction, groundTruth, height, width);

    /// <summary>Adds one image, or a batch, given as integer tensors on any device (copied to the CPU).</summary>
    /// <param name="prediction">Predicted labels, shape (H, W) or (B, H, W), integer dtype.</param>
    /// <param name="groundTruth">Ground-truth labels, the shape of <paramref name="prediction"/>, integer dtype.</param>
    /// <exception cref="ArgumentException">Wrong rank or dtype, different shapes, or a value that is neither a class nor the ignore index.</exception>
    public void Add(Tensor prediction, Tensor groundTruth)
    {
        LabelMaps.CheckPair(prediction, nameof(prediction), groundTruth, nameof(groundTruth));
        var height = (int)prediction.shape[^2];
        var width = (int)prediction.shape[^1];
        if (height == 0 || width == 0)
            throw new ArgumentException($"prediction must not be empty, got shape [{string.Join(", ", prediction.shape)}].", nameof(prediction));
        var batch = prediction.dim() == 3 ? (int)prediction.shape[0] : 1;
        using var scope = torch.NewDisposeScope();
        var dtype = LabelMaps.CommonDtype(prediction, groundTruth);
        var p = LabelMaps.ToHost(prediction, dtype);
        var g = LabelMaps.ToHost(groundTruth, dtype);
        switch (dtype)
        {
            case ScalarType.Byte: AddBatch(LabelMaps.HostSpan<byte>(p), LabelMaps.HostSpan<byte>(g), batch, height, width); break;
            case ScalarType.Int8: AddBatch(LabelMaps.HostSpan<sbyte>(p), LabelMaps.HostSpan<sbyte>(g), batch, height, width); break;
            case ScalarType.Int16: AddBatch(LabelMaps.HostSpan<short>(p), LabelMaps.HostSpan<short>(g), batch, height, width); break;
            case ScalarType.Int32: AddBatch(LabelMaps.HostSpan<int>(p), LabelMaps.HostSpan<int>(g), batch, height, width); break;
            default: AddBatch(LabelMaps.HostSpan<long>(p), LabelMaps.HostSpan<long>(g), batch, height, width); break;
        }
    }

    /// <summary>Adds the counts of <paramref name="other"/>, an accumulator with the same settings (for example filled on another thread).</summary>
    /// <exception cref="ArgumentException"><paramref name="other"/> has other classes, foreground classes or ignore index.</exception>
    public void Merge(ContourFScore other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Classes != Classes || other.IgnoreIndex != IgnoreIndex || !other.foregroundClasses.AsSpan().SequenceEqual(foregroundClasses))
            throw new ArgumentException("other must have the same classes, foreground classes and ignore index.", nameof(other));
        for (var c = 0; c < Classes; c++)
        {
            predictedBoundary[c] += other.predictedBoundary[c];
            matchedPredictedBoundary[c] += other.matchedPredictedBoundary[c];
            groundTruthBoundary[c] += other.groundTruthBoundary[c];
            matchedGroundTruthBoundary[c] += other.matchedGroundTruthBoundary[c];
            groundTruthPresent[c] |= other.groundTruthPresent[c];
        }
        ImageCount += other.ImageCount;
    }

    /// <summary>Per-class boundary precision over the dataset (1 for a class without predicted boundary pixels).</summary>
    public double[] ClassPrecision()
    {
        var precision = new double[Classes];
        for (var c = 0; c < Classes; c++) precision[c] = Precision(c);
        return precision;
    }

    /// <summary>Per-class boundary recall over the dataset (1 for a class without ground-truth boundary pixels).</summary>
    public double[] ClassRecall()
    {
        var recall = new double[Classes];
        for (var c = 0; c < Classes; c++) recall[c] = Recall(c);
        return recall;
    }

    /// <summary>Per-class contour F-score: 1 if the class has no boundary pixel on either side, 0 if on one side only, else 2PR / (P + R) (0 when P + R = 0).</summary>
    public double[] ClassFScore()
    {
        var f = new double[Classes];
        for (var c = 0; c < Classes; c++) f[c] = FScore(c);
        return f;
    }

    /// <summary>
    /// The foreground classes that occur in the ground truth of at least one image added so far (a pixel labelled with
    /// the class; void is no class).
    /// </summary>
    public IReadOnlyList<int> PresentForegroundClasses() => foregroundClasses.Where(c => groundTruthPresent[c]).ToArray();

    /// <summary>
    /// Mean of <see cref="ClassFScore"/> over the foreground classes present in the ground truth
    /// (<see cref="PresentForegroundClasses"/>); NaN when none is. Report it beside <see cref="MeanFScore"/>: that one
    /// counts every absent class as F = 1 where the prediction has no boundary of it either, so on a few images a constant
    /// prediction already scores high.
    /// </summary>
    public double MeanFScoreOverPresentClasses()
    {
        double sum = 0;
        var count = 0;
        foreach (var c in foregroundClasses)
        {
            if (!groundTruthPresent[c]) continue;
            sum += FScore(c);
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>Mean of <see cref="ClassFScore"/> over <see cref="ForegroundClasses"/> (docs/method.md: absent from both scores 1).</summary>
    public double MeanFScore()
    {
        double sum = 0;
        foreach (var c in foregroundClasses) sum += FScore(c);
        return sum / foregroundClasses.Length;
    }

    double Precision(int c) =>
        predictedBoundary[c] == 0 ? 1.0 : (double)matchedPredictedBoundary[c] / predictedBoundary[c];

    double Recall(int c) =>
        groundTruthBoundary[c] == 0 ? 1.0 : (double)matchedGroundTruthBoundary[c] / groundTruthBoundary[c];

    double FScore(int c)
    {
        if (predictedBoundary[c] == 0 && groundTruthBoundary[c] == 0) return 1.0;
        if (predictedBoundary[c] == 0 || groundTruthBoundary[c] == 0) return 0.0;
        var p = Precision(c);
        var r = Recall(c);
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    void AddBatch<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> groundTruth, int batch, int height, int width)
        where T : unmanaged, IBinaryInteger<T>
    {
        LabelMaps.CheckValues(prediction, Classes, IgnoreIndex, nameof(prediction));
        LabelMaps.CheckValues(groundTruth, Classes, IgnoreIndex, nameof(groundTruth));
        var pixels = height * width;
        for (var b = 0; b < batch; b++)
            AccumulateImage(prediction.Slice(b * pixels, pixels), groundTruth.Slice(b * pixels, pixels), height, width);
    }

    void AddChecked<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> groundTruth, int height, int width)
        where T : unmanaged, IBinaryInteger<T>
    {
        BoundaryMap.CheckGrid(prediction.Length, height, width, nameof(prediction));
        BoundaryMap.CheckGrid(groundTruth.Length, height, width, nameof(groundTruth));
        LabelMaps.CheckValues(prediction, Classes, IgnoreIndex, nameof(prediction));
        LabelMaps.CheckValues(groundTruth, Classes, IgnoreIndex, nameof(groundTruth));
        AccumulateImage(prediction, groundTruth, height, width);
    }

    void AccumulateImage<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> groundTruth, int height, int width)
        where T : unmanaged, IBinaryInteger<T>
    {
        for (var c = 0; c < Classes; c++)
        {
            predictionPixels[c].Clear();
            groundTruthPixels[c].Clear();
        }
        BoundaryMap.CollectClassBoundaries(prediction, height, width, predictionPixels);
        BoundaryMap.CollectClassBoundaries(groundTruth, height, width, groundTruthPixels);
        foreach (var v in groundTruth)
        {
            var c = int.CreateTruncating(v);
            if ((uint)c < (uint)Classes) groundTruthPresent[c] = true;
        }

        var radius = ToleranceRadius(height, width);
        if (radius != cachedRadius)
        {
            cachedHalfWidths = DiskDilation.HalfWidths(radius);
            cachedRadius = radius;
        }
        if (scratch.Length < height * width) scratch = new bool[height * width];

        for (var c = 0; c < Classes; c++)
        {
            var predicted = CollectionsMarshal.AsSpan(predictionPixels[c]);
            var actual = CollectionsMarshal.AsSpan(groundTruthPixels[c]);
            predictedBoundary[c] += predicted.Length;
            groundTruthBoundary[c] += actual.Length;
            if (predicted.Length == 0 || actual.Length == 0) continue;
            matchedPredictedBoundary[c] += DiskDilation.CountWithinDisk(predicted, actual, height, width, cachedHalfWidths, scratch);
            matchedGroundTruthBoundary[c] += DiskDilation.CountWithinDisk(actual, predicted, height, width, cachedHalfWidths, scratch);
        }
        ImageCount++;
    }
}
