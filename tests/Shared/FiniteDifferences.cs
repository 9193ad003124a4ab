namespace Hfpl.Tests;

/// <summary>Central finite differences in float64, to check analytic and autograd gradients.</summary>
public static class FiniteDifferences
{
    /// <summary>Numerical gradient of a scalar function at <paramref name="x"/> (float64), one coordinate at a time.</summary>
    public static Tensor Gradient(Func<Tensor, Tensor> function, Tensor x, double step = 1e-6)
    {
        using var noGrad = torch.no_grad();
        var flat = x.detach().clone().flatten();
        var gradient = torch.zeros_like(flat);
        for (long i = 0; i < flat.shape[0]; i++)
        {
            using var scope = torch.NewDisposeScope();
            var original = flat[i].item<double>();
            flat[i] = original + step;
            var plus = function(flat.view(x.shape)).item<double>();
            flat[i] = original - step;
            var minus = function(flat.view(x.shape)).item<double>();
            flat[i] = original;
            gradient[i] = (plus - minus) / (2 * step);
        }
        return gradient.view(x.shape);
    }

    /// <summary>The autograd gradient of a scalar function at <paramref name="x"/>.</summary>
    public static Tensor Autograd(Func<Tensor, Tensor> function, Tensor x)
    {
        var leaf = x.detach().clone().requires_grad_(true);
        using var loss = function(leaf);
        loss.backward();
        return leaf.grad!.detach().clone();
    }

    /// <summary>Asserts that autograd and finite differences agree to a relative tolerance on the gradient's scale.</summary>
    public static void AssertGradientMatches(Func<Tensor, Tensor> function, Tensor x, double tolerance = 1e-6, double step = 1e-6)
    {
        Assert.Equal(ScalarType.Float64, x.dtype);
        using var numeric = Gradient(function, x, step);
        using var analytic = Autograd(function, x);
        var scale = Math.Max(numeric.abs().max().item<double>(), 1e-12);
        var error = (numeric - analytic).abs().max().item<double>();
        Assert.True(error <= tolerance * scale,
            $"gradient mismatch: max |numeric - analytic| = {error:E3}, scale {scale:E3}, tolerance {tolerance:E1}");
        Assert.True(scale > 1e-9, "the gradient is zero everywhere: the check cannot fail");
    }
}
