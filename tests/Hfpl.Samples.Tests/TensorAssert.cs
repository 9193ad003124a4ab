namespace Hfpl.Samples.Tests;

internal static class TensorAssert
{
    /// <summary>Same shape and bit-for-bit equal values (torch.equal).</summary>
    public static bool Identical(Tensor a, Tensor b)
    {
        using var _ = NewDisposeScope();
        return a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
    }

    /// <summary>max |actual - expected| / max |expected|: the error relative to the map's scale.</summary>
    public static double RelativeMaxError(Tensor actual, Tensor expected)
    {
        using var _ = NewDisposeScope();
        Assert.Equal(expected.shape, actual.shape);
        var scale = expected.abs().max().item<float>();
        return actual.to(float64).sub(expected.to(float64)).abs().max().item<double>() / Math.Max(scale, 1e-12);
    }

    /// <summary>Asserts equal shapes and <see cref="RelativeMaxError"/> at most <paramref name="tolerance"/>; returns the error.</summary>
    public static double Close(Tensor actual, Tensor expected, double tolerance, string what)
    {
        var error = RelativeMaxError(actual, expected);
        Assert.True(error <= tolerance, $"{what}: relative max error {error:E2} exceeds {tolerance:E0}.");
        return error;
    }
}
