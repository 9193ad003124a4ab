namespace Hfpl.Tests;

/// <summary>Tensor comparisons with messages that say by how much they differ.</summary>
public static class TensorAssert
{
    /// <summary>Asserts <c>|actual - expected| &lt;= rtol * |expected| + atol</c> element-wise, with equal shapes.</summary>
    public static void Close(Tensor expected, Tensor actual, double rtol = 1e-5, double atol = 1e-8, string? what = null)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = torch.NewDisposeScope();
        var e = expected.detach().to(ScalarType.Float64).cpu();
        var a = actual.detach().to(ScalarType.Float64).cpu();
        var excess = ((a - e).abs() - (rtol * e.abs() + atol)).max().item<double>();
        Assert.True(excess <= 0 && !double.IsNaN(excess),
            $"{what ?? "tensors"} differ: max |a - e| = {(a - e).abs().max().item<double>():E3} beyond rtol {rtol:E0} atol {atol:E0}");
    }

    /// <summary>Asserts two scalars agree to a relative tolerance.</summary>
    public static void Close(double expected, double actual, double rtol = 1e-5, double atol = 1e-12, string? what = null)
    {
        Assert.True(Math.Abs(actual - expected) <= rtol * Math.Abs(expected) + atol,
            $"{what ?? "values"} differ: expected {expected:R}, actual {actual:R}");
    }

    /// <summary>Same shape and bit-for-bit equal values.</summary>
    public static bool Identical(Tensor a, Tensor b)
    {
        using var _ = torch.NewDisposeScope();
        return a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
    }

    /// <summary>max |actual - expected| / max |expected|: the error relative to the map's scale.</summary>
    public static double RelativeMaxError(Tensor actual, Tensor expected)
    {
        using var _ = torch.NewDisposeScope();
        Assert.Equal(expected.shape, actual.shape);
        var scale = expected.abs().max().to(ScalarType.Float64).item<double>();
        return actual.to(ScalarType.Float64).sub(expected.to(ScalarType.Float64)).abs().max().item<double>() / Math.Max(scale, 1e-12);
    }

    /// <summary>Asserts equal shapes and <see cref="RelativeMaxError"/> at most <paramref name="tolerance"/>; returns the error.</summary>
    public static double CloseToScale(Tensor actual, Tensor expected, double tolerance, string what)
    {
        var error = RelativeMaxError(actual, expected);
        Assert.True(error <= tolerance, $"{what}: relative max error {error:E2} exceeds {tolerance:E0}.");
        return error;
    }

    /// <summary>Asserts that <paramref name="call"/> throws an <see cref="ArgumentException"/> (or subclass) whose message names <paramref name="argument"/>.</summary>
    public static void ThrowsNaming(string argument, Func<object> call)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => call());
        Assert.Contains(argument, error.Message);
    }

    /// <summary>Asserts every element is finite.</summary>
    public static void Finite(Tensor t, string what)
    {
        using var scope = torch.NewDisposeScope();
        Assert.True(torch.isfinite(t.detach()).all().item<bool>(), $"{what} has NaN or infinite values");
    }
}
