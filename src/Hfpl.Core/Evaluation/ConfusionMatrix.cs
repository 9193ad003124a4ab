using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Evaluation;

// Region similarity as in PASCAL VOC and the WSSS literature (PSA, IRN): confusion counts pooled over the
// whole dataset, IoU_c = TP / (TP + FP + FN), mIoU = mean over classes (docs/method.md section 4).

/// <summary>
/// Streaming confusion matrix of a semantic segmentation: counts of (ground-truth class, predicted class) pairs
/// pooled over every pixel added so far, with per-class IoU, mIoU and pixel accuracy.
/// </summary>
/// <remarks>
/// A pixel is counted only when both its ground truth and its prediction are class indices; a pixel whose
/// ground truth or prediction is the ignore index (void, 255 by default) is left out. Any other value outside
/// [0, <see cref="Classes"/>) is an error. Counts are <see cref="long"/>, so whole datasets cannot overflow.
/// Every <c>Add</c> checks its whole input before counting, so a call that throws changes nothing.
/// Not thread-safe: fill one matrix per thread and <see cref="Merge"/> them.
/// </remarks>
public sealed class ConfusionMatrix
{
    readonly long[] counts;

    /// <summary>Creates an empty matrix for <paramref name="classes"/> classes.</summary>
    /// <param name="classes">Number of classes C, including the background class if the data has one; labels are 0..C-1.</param>
    /// <param name="ignoreIndex">Label of pixels to leave out (void); must not be in [0, C).</param>
    public ConfusionMatrix(int classes, int ignoreIndex = LabelMaps.DefaultIgnoreIndex)
    {
        LabelMaps.CheckClassesAndIgnoreIndex(classes, ignoreIndex, nameof(classes));
        Classes = classes;
        IgnoreIndex = ignoreIndex;
        counts = new long[(long)classes * classes];
    }

    /// <summary>Number of classes C.</summary>
    public int Classes { get; }

    /// <summary>Label of the pixels that are left out (void).</summary>
    public int IgnoreIndex { get; }

    /// <summary>Number of pixels counted so far (pixels with ignore-index ground truth or prediction excluded).</summary>
    public long PixelCount { get; private set; }

    /// <summary>Number of counted pixels of ground-truth class <paramref name="groundTruth"/> predicted as <paramref name="prediction"/>.</summary>
    public long this[int groundTruth, int prediction]
    {
        get
        {
            CheckClass(groundTruth, nameof(groundTruth));
            CheckClass(prediction, nameof(prediction));
            return counts[(long)groundTruth * Classes + prediction];
        }
    }

    /// <summary>Pixels of class <paramref name="classIndex"/> predicted as that class.</summary>
    public long TruePositives(int classIndex)
    {
        CheckClass(classIndex, nameof(classIndex));
        return counts[(long)classIndex * Classes + classIndex];
    }

    /// <summary>Pixels predicted as class <paramref name="classIndex"/> whose ground truth is another class.</summary>
    public long FalsePositives(int classIndex)
    {
        CheckClass(classIndex, nameof(classIndex));
        long predicted = 0;
        for (var g = 0; g < Classes; g++) predicted += counts[(long)g * Classes + classIndex];
        return predicted - counts[(long)classIndex * Classes + classIndex];
    }

    /// <summary>Pixels of class <paramref name="classIndex"/> predicted as another class.</summary>
    public long FalseNegatives(int classIndex)
    {
        CheckClass(classIndex, nameof(classIndex));
        long actual = 0;
        for (var p = 0; p < Classes; p++) actual += counts[(long)classIndex * Classes + p];
        return actual - counts[(long)classIndex * Classes + classIndex];
    }

    /// <summary>Adds one or more label maps given as flat spans (row-major; any number of images concatenated).</summary>
    /// <param name="prediction">Predicted labels, in [0, C) or the ignore index.</param>
    /// <param name="groundTruth">Ground-truth labels, in [0, C) or the ignore index; same length as <paramref name="prediction"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ, or a value is neither a class nor the ignore index.</exception>
    public void Add(ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> groundTruth) => AddCore(prediction, groundTruth);

    /// <summary>Adds one or more label maps given as flat spans (row-major; any number of images concatenated).</summary>
    /// <param name="prediction">Predicted labels, in [0, C) or the ignore index.</param>
    /// <param name="groundTruth">Ground-truth labels, in [0, C) or the ignore index; same length as <paramref name="prediction"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ, or a value is neither a class nor the ignore index.</exception>
    public void Add(ReadOnlySpan<int> prediction, ReadOnlySpan<int> groundTruth) => AddCore(prediction, groundTruth);

    /// <summary>Adds label maps given as integer tensors on any device (copied to the CPU).</summary>
    /// <param name="prediction">Predicted labels, shape (H, W) or (B, H, W), integer dtype.</param>
    /// <param name="groundTruth">Ground-truth labels, the shape of <paramref name="prediction"/>, integer dtype.</param>
    /// <exception cref="ArgumentException">Wrong rank or dtype, different shapes, or a value that is neither a class nor the ignore index.</exception>
    public void Add(Tensor prediction, Tensor groundTruth)
    {
        LabelMaps.CheckPair(prediction, nameof(prediction), groundTruth, nameof(groundTruth));
        using var scope = torch.NewDisposeScope();
        var dtype = LabelMaps.CommonDtype(prediction, groundTruth);
        var p = LabelMaps.ToHost(prediction, dtype);
        var g = LabelMaps.ToHost(groundTruth, dtype);
        switch (dtype)
        {
            case ScalarType.Byte: AddCore(LabelMaps.HostSpan<byte>(p), LabelMaps.HostSpan<byte>(g)); break;
            case ScalarType.Int8: AddCore(LabelMaps.HostSpan<sbyte>(p), LabelMaps.HostSpan<sbyte>(g)); break;
            case ScalarType.Int16: AddCore(LabelMaps.HostSpan<short>(p), LabelMaps.HostSpan<short>(g)); break;
            case ScalarType.Int32: AddCore(LabelMaps.HostSpan<int>(p), LabelMaps.HostSpan<int>(g)); break;
            default: AddCore(LabelMaps.HostSpan<long>(p), LabelMaps.HostSpan<long>(g)); break;
        }
    }

    /// <summary>Adds the counts of <paramref name="other"/> (for example a matrix filled on another thread).</summary>
    /// <exception cref="ArgumentException"><paramref name="other"/> has another class count or ignore index.</exception>
    public void Merge(ConfusionMatrix other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Classes != Classes || other.IgnoreIndex != IgnoreIndex)
            throw new ArgumentException(
                $"other must have the same classes and ignore index, got ({other.Classes}, {other.IgnoreIndex}) for ({Classes}, {IgnoreIndex}).",
                nameof(other));
        for (var i = 0; i < counts.Length; i++) counts[i] += other.counts[i];
        PixelCount += other.PixelCount;
    }

    /// <summary>Sets every count back to zero.</summary>
    public void Reset()
    {
        Array.Clear(counts);
        PixelCount = 0;
    }

    /// <summary>
    /// Per-class intersection over union, IoU_c = TP / (TP + FP + FN). A class with TP + FP + FN = 0 (absent
    /// from both ground truth and prediction in every counted pixel) gets <see cref="double.NaN"/>.
    /// </summary>
    public double[] ClassIoU()
    {
        var iou = new double[Classes];
        for (var c = 0; c < Classes; c++)
        {
            var union = TruePositives(c) + FalsePositives(c) + FalseNegatives(c);
            iou[c] = union == 0 ? double.NaN : (double)TruePositives(c) / union;
        }
        return iou;
    }

    /// <summary>
    /// Mean IoU over the classes whose IoU is defined: classes with TP + FP + FN = 0 (NaN in <see cref="ClassIoU"/>)
    /// are left out of the mean, as numpy's <c>nanmean</c> does in the reference evaluations. NaN if no pixel was counted.
    /// </summary>
    public double MeanIoU()
    {
        double sum = 0;
        var defined = 0;
        foreach (var iou in ClassIoU())
        {
            if (double.IsNaN(iou)) continue;
            sum += iou;
            defined++;
        }
        return defined == 0 ? double.NaN : sum / defined;
    }

    /// <summary>Fraction of counted pixels whose prediction equals the ground truth; NaN if no pixel was counted.</summary>
    public double PixelAccuracy()
    {
        if (PixelCount == 0) return double.NaN;
        long correct = 0;
        for (var c = 0; c < Classes; c++) correct += counts[(long)c * Classes + c];
        return (double)correct / PixelCount;
    }

    /// <summary>Adds <paramref name="count"/> pixels of ground truth <paramref name="groundTruth"/> predicted as <paramref name="prediction"/>; indices are trusted.</summary>
    internal void AddCount(int groundTruth, int prediction, long count)
    {
        counts[(long)groundTruth * Classes + prediction] += count;
        PixelCount += count;
    }

    void AddCore<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> groundTruth) where T : unmanaged, IBinaryInteger<T>
    {
        LabelMaps.CheckSameLength(prediction.Length, nameof(prediction), groundTruth.Length, nameof(groundTruth));
        LabelMaps.CheckValues(prediction, Classes, IgnoreIndex, nameof(prediction));
        LabelMaps.CheckValues(groundTruth, Classes, IgnoreIndex, nameof(groundTruth));
        long added = 0;
        for (var i = 0; i < prediction.Length; i++)
        {
            var g = long.CreateTruncating(groundTruth[i]);
            var p = long.CreateTruncating(prediction[i]);
            if (g == IgnoreIndex || p == IgnoreIndex) continue;
            counts[g * Classes + p]++;
            added++;
        }
        PixelCount += added;
    }

    void CheckClass(int classIndex, string name)
    {
        if ((uint)classIndex >= (uint)Classes)
            throw new ArgumentOutOfRangeException(name, classIndex, $"{name} must be a class index in [0, {Classes}).");
    }
}
