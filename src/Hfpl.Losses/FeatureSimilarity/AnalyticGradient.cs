using Hfpl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Losses.FeatureSimilarity;

/// <summary>
/// Attaches a hand-computed gradient to a value so that autograd stores only that gradient, not the pairwise
/// intermediates: <c>value + (sum(x * g) - sum(x * g).detach())</c> equals <c>value</c> exactly (x - x = 0 in IEEE
/// arithmetic) and has gradient g with respect to x. First-order only, which is all training needs.
/// </summary>
internal static class AnalyticGradient
{
    /// <param name="value">The loss value, 0-dim, no autograd history.</param>
    /// <param name="input">The tensor the loss is a function of (may require grad).</param>
    /// <param name="gradient">d value / d input, same shape as <paramref name="input"/>, no autograd history.</param>
    /// <returns>A 0-dim tensor equal to <paramref name="value"/> whose gradient with respect to <paramref name="input"/> is <paramref name="gradient"/>.</returns>
    public static Tensor Attach(Tensor value, Tensor input, Tensor gradient)
    {
        if (!input.requires_grad || !torch.is_grad_enabled()) return value.alias();
        using var scope = torch.NewDisposeScope();
        var linear = (input * gradient).sum();
        return value.add(linear - linear.detach(), Scalars.One).MoveToOuterDisposeScope(); // alpha given: see Scalars
    }
}
