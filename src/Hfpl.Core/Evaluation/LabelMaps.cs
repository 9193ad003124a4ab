using System.Numerics;
using System.Runtime.InteropServices;
using Hfpl.Internal;
using Hfpl.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Evaluation;

/// <summary>
/// Checks and host access shared by the evaluation metrics for integer label maps: (H, W) or (B, H, W)
/// tensors, or flat spans in row-major order, whose entries are a class index in [0, classes) or the ignore index.
/// </summary>
internal static class LabelMaps
{
    /// <summary>The ignore index of PASCAL VOC and MSRC-21 ground truth ("void").</summary>
    public const int DefaultIgnoreIndex = 255;

    /// <summary>True for the tensor dtypes a label map may have.</summary>
    public static bool IsInteger(ScalarType dtype) =>
        dtype is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64;

    /// <summary>Requires a positive class count and an ignore index outside [0, classes).</summary>
    public static void CheckClassesAndIgnoreIndex(int classes, int ignoreIndex, string classesName)
    {
        Check.Positive(classes, classesName);
        if (ignoreIndex >= 0 && ignoreIndex < classes)
            throw new ArgumentOutOfRangeException(nameof(ignoreIndex), ignoreIndex,
                $"ignoreIndex must not be a class index in [0, {classes}).");
    }

    /// <summary>Requires an integer label map of shape (H, W) or (B, H, W).</summary>
    public static void CheckLabelTensor(Tensor labels, string name)
    {
        Check.NotNull(labels, name);
        if (labels.dim() != 2 && labels.dim() != 3)
            throw new ArgumentException($"{name} must have shape (H, W) or (B, H, W), got {Check.Shape(labels)}.", name);
        if (!IsInteger(labels.dtype))
            throw new ArgumentException($"{name} must have an integer dtype (uint8, int8, int16, int32 or int64), got {labels.dtype}.", name);
    }

    /// <summary>Requires two integer label maps of the same shape, (H, W) or (B, H, W).</summary>
    public static void CheckPair(Tensor prediction, string predictionName, Tensor groundTruth, string groundTruthName)
    {
        TorchNative.EnsureLoaded();
        CheckLabelTensor(prediction, predictionName);
        CheckLabelTensor(groundTruth, groundTruthName);
        if (!prediction.shape.SequenceEqual(groundTruth.shape))
            throw new ArgumentException(
                $"{predictionName} and {groundTruthName} must have the same shape, got {predictionName} {Check.Shape(prediction)} and {groundTruthName} {Check.Shape(groundTruth)}.",
                groundTruthName);
    }

    /// <summary>Requires two flat label maps with the same number of pixels.</summary>
    public static void CheckSameLength(int predictionLength, string predictionName, int groundTruthLength, string groundTruthName)
    {
        if (predictionLength != groundTruthLength)
            throw new ArgumentException(
                $"{predictionName} and {groundTruthName} must have the same shape, got {predictionName} with {predictionLength} pixels and {groundTruthName} with {groundTruthLength}.",
                groundTruthName);
    }

    /// <summary>
    /// The dtype two label maps are read in: their own when they agree, so that no conversion runs (libtorch's
    /// parallel kernels are slow on a busy machine), else int64.
    /// </summary>
    public static ScalarType CommonDtype(Tensor a, Tensor b) => a.dtype == b.dtype ? a.dtype : ScalarType.Int64;

    /// <summary>A detached, contiguous CPU tensor of <paramref name="dtype"/>, an alias when it already is one; call inside a dispose scope.</summary>
    public static Tensor ToHost(Tensor labels, ScalarType dtype) => labels.detach().cpu().to_type(dtype).contiguous();

    /// <summary>The elements of a contiguous CPU tensor of element type <typeparamref name="T"/>; valid while the tensor lives.</summary>
    public static ReadOnlySpan<T> HostSpan<T>(Tensor hostContiguous) where T : unmanaged =>
        hostContiguous.numel() == 0 ? ReadOnlySpan<T>.Empty : MemoryMarshal.Cast<byte, T>(hostContiguous.bytes);

    /// <summary>Throws if an entry is neither a class index in [0, classes) nor the ignore index.</summary>
    public static void CheckValues<T>(ReadOnlySpan<T> labels, int classes, int ignoreIndex, string name)
        where T : unmanaged, IBinaryInteger<T>
    {
        for (var i = 0; i < labels.Length; i++)
        {
            var value = long.CreateTruncating(labels[i]);
            if ((ulong)value >= (ulong)classes && value != ignoreIndex)
                throw new ArgumentException(
                    $"{name} contains {value} at position {i}, which is neither a class index in [0, {classes}) nor the ignore index {ignoreIndex}.",
                    name);
        }
    }
}
