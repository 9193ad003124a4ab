using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Losses.FeatureSimilarity;

/// <summary>
/// The prediction distance d_y of a pair and its derivative with respect to the difference <c>du = u_i - u_j</c>:
/// binomial <c>d_y = 0.5 sum_c |du_c|^py</c>, multinomial <c>d_y = (sum_c |du_c|^py)^(2/py)</c>.
/// Used by the general (py != 2) exact path and by the windowed path. No autograd.
/// </summary>
internal static class PredictionDistance
{
    /// <summary>d_y of each pair; <paramref name="channelDim"/> of <paramref name="difference"/> is summed out.</summary>
    public static Tensor Value(Tensor difference, long channelDim, in FeatureSimilarityParameters p)
    {
        using var scope = torch.NewDisposeScope();
        var powered = Power(difference.abs(), p.Py).sum(channelDim);
        var value = p.Posterior == Posterior.Binomial ? powered.mul_(0.5) : Power(powered, 2 / p.Py);
        return value.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>d d_y / d du_c</c> for every channel, same shape as <paramref name="difference"/>:
    /// binomial <c>0.5 py |du_c|^(py-1) sign(du_c)</c>; multinomial <c>2 S^(2/py - 1) |du_c|^(py-1) sign(du_c)</c>
    /// with <c>S = sum_c |du_c|^py</c> (0 where S = 0).
    /// </summary>
    public static Tensor Derivative(Tensor difference, long channelDim, in FeatureSimilarityParameters p)
    {
        using var scope = torch.NewDisposeScope();
        var magnitude = difference.abs();
        var slope = Power(magnitude, p.Py - 1).mul_(difference.sign());
        if (p.Posterior == Posterior.Binomial)
            return slope.mul_(0.5 * p.Py).MoveToOuterDisposeScope();
        var sum = Power(magnitude, p.Py).sum(channelDim, keepdim: true);
        var scale = torch.where(sum > 0, Power(sum, 2 / p.Py - 1), torch.zeros_like(sum));
        return slope.mul_(scale).mul_(2.0).MoveToOuterDisposeScope();
    }

    static Tensor Power(Tensor t, double exponent) => exponent switch
    {
        0 => torch.ones_like(t),
        1 => t.clone(),
        2 => t.square(),
        _ => t.pow(exponent),
    };
}
