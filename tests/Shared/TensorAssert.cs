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

    /// <summary>Asserts every element is finite.</summary>
    public static void Finite(Tensor t, string what)
    {
        using var scope = torch.NewDisposeScope();
        Assert.True(torch.isfinite(t.detach()).all().item<bool>(), $"{what} has NaN or infinite values");
    }
}
