using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Internal;

/// <summary>
/// Argument checks shared by every public op. Each throws an <see cref="ArgumentException"/> (or subclass)
/// that names the argument and the expected shape, so bad input never reaches a native kernel.
/// </summary>
internal static class Check
{
    /// <summary>Formats a shape as <c>[2, 3, 4]</c>.</summary>
    public static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";

    public static void NotNull(Tensor? t, string name)
    {
        if (t is null) throw new ArgumentNullException(name);
        if (t.IsInvalid) throw new ArgumentException($"{name} has been disposed.", name);
    }

    /// <summary>Requires <paramref name="rank"/> dimensions; <paramref name="expected"/> reads like "(B, K, h, w)".</summary>
    public static void Rank(Tensor t, int rank, string name, string expected)
    {
        NotNull(t, name);
        if (t.dim() != rank)
            throw new ArgumentException($"{name} must have shape {expected} ({rank} dimensions), got {Shape(t)}.", name);
    }

    /// <summary>Requires float32 or float64, the dtypes every op here is written and tested for.</summary>
    public static void FloatingPoint(Tensor t, string name)
    {
        if (t.dtype != ScalarType.Float32 && t.dtype != ScalarType.Float64)
            throw new ArgumentException($"{name} must be float32 or float64, got {t.dtype}.", name);
    }

    /// <summary>Requires at least one element along every dimension (no empty batch, no empty grid).</summary>
    public static void NonEmpty(Tensor t, string name)
    {
        for (var d = 0; d < t.dim(); d++)
            if (t.shape[d] == 0)
                throw new ArgumentException($"{name} must not be empty, got shape {Shape(t)}.", name);
    }

    /// <summary>Rejects NaN and infinity (one pass and one host sync).</summary>
    public static void Finite(Tensor t, string name)
    {
        using var _ = torch.NewDisposeScope();
        using var __ = torch.no_grad();
        // A sum is one pass with no temporary of the input's size; NaN and infinities propagate into it. Only when it
        // is not finite (which huge finite values can also cause) is every element checked.
        if (double.IsFinite(t.sum().to(ScalarType.Float64).item<double>())) return;
        if (!torch.isfinite(t).all().item<bool>())
            throw new ArgumentException($"{name} contains NaN or infinite values.", name);
    }

    /// <summary>The usual checks for a floating-point map: rank, dtype, non-empty, finite.</summary>
    public static void Map(Tensor t, int rank, string name, string expected)
    {
        Rank(t, rank, name, expected);
        FloatingPoint(t, name);
        NonEmpty(t, name);
        Finite(t, name);
    }

    /// <summary>Image-level labels: shape (B, K) with every entry 0 or 1.</summary>
    public static void Labels(Tensor labels, long batch, long classes, string name)
    {
        Rank(labels, 2, name, "(B, K)");
        if (labels.shape[0] != batch || labels.shape[1] != classes)
            throw new ArgumentException(
                $"{name} must have shape (B, K) = [{batch}, {classes}], got {Shape(labels)}.", name);
        ZeroOrOne(labels, name);
    }

    /// <summary>Requires every entry of <paramref name="labels"/> (any shape, any dtype) to be 0 or 1.</summary>
    public static void ZeroOrOne(Tensor labels, string name)
    {
        using var _ = torch.NewDisposeScope();
        using var __ = torch.no_grad();
        if (!labels.eq(Scalars.Zero).logical_or(labels.eq(Scalars.One)).all().item<bool>())
            throw new ArgumentException($"{name} must contain only 0 and 1.", name);
    }

    /// <summary>Requires the same batch size and grid (dimensions 0, 2, 3) for two (B, *, h, w) maps.</summary>
    public static void SameBatchAndGrid(Tensor a, string aName, Tensor b, string bName)
    {
        if (a.shape[0] != b.shape[0] || a.shape[2] != b.shape[2] || a.shape[3] != b.shape[3])
            throw new ArgumentException(
                $"{bName} must have the batch size and grid of {aName}: (B, *, h, w) = [{a.shape[0]}, *, {a.shape[2]}, {a.shape[3]}], got {Shape(b)}.",
                bName);
    }

    /// <summary>Requires <paramref name="t"/> on the device of <paramref name="reference"/>.</summary>
    public static void SameDevice(Tensor reference, Tensor t, string name)
    {
        if (t.device_type != reference.device_type || t.device_index != reference.device_index)
            throw new ArgumentException($"{name} must be on device {reference.device}, got {t.device}.", name);
    }

    public static void Positive(long value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
    }

    public static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive finite number.");
    }

    public static void InRange(double value, double min, double max, string name)
    {
        if (!(value >= min && value <= max))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {max}].");
    }

    /// <summary>
    /// A cell mask <c>(B, 1, h, w)</c> for <paramref name="reference"/> <c>(B, C, h, w)</c>: finite, non-negative, on its device,
    /// with its batch and grid (the FSL's pair weights and the importance sampling draw use the same form).
    /// </summary>
    public static void CellMask(Tensor mask, Tensor reference, string referenceName, string name = "mask")
    {
        Map(mask, 4, name, "(B, 1, h, w)");
        SameDevice(reference, mask, name);
        if (mask.shape[1] != 1) throw new ArgumentException($"{name} must have shape (B, 1, h, w), got {Shape(mask)}.", name);
        SameBatchAndGrid(reference, referenceName, mask, name);
        using var scope = torch.NewDisposeScope();
        if (!(mask.min().to(ScalarType.Float64).item<double>() >= 0)) throw new ArgumentException($"{name} must not be negative.", name);
    }
}
