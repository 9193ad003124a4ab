using Hfpl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl;

// Binomial and multinomial posteriors of Jonnarth, Zhang, Felsberg, "High-fidelity Pseudo-labels for
// Boosting Weakly-Supervised Segmentation", WACV 2024 (docs/method.md sections 1 and 2).
/// <summary>
/// Hfpl's tensor-facing functions in TorchSharp's style: posteriors, CAM helpers, importance sampling, and
/// factories of the modules in <see cref="Hfpl.Modules"/>. Each function checks its arguments, follows the
/// input's device and dtype, and releases its temporaries.
/// </summary>
public static partial class hfpl
{
    /// <summary>Per-pixel class probabilities of CAM logits under a posterior.</summary>
    /// <param name="logits">CAM logits <c>(B, C, h, w)</c>, float32 or float64.</param>
    /// <param name="posterior"><see cref="Posterior.Binomial"/>: <c>sigmoid(z)</c> per channel;
    /// <see cref="Posterior.Multinomial"/>: <c>softmax(z)</c> over the C channels.</param>
    /// <returns>Probabilities <c>(B, C, h, w)</c>, same dtype and device as <paramref name="logits"/>.</returns>
    public static Tensor posterior_probabilities(Tensor logits, Posterior posterior = Posterior.Binomial)
    {
        Check.Map(logits, 4, nameof(logits), "(B, C, h, w)");
        return UncheckedPosterior(logits, posterior);
    }

    /// <summary><see cref="posterior_probabilities"/> for logits a caller has already checked.</summary>
    static Tensor UncheckedPosterior(Tensor logits, Posterior posterior) => posterior switch
    {
        Posterior.Binomial => torch.sigmoid(logits),
        Posterior.Multinomial => torch.softmax(logits, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(posterior), posterior, "Unknown posterior."),
    };

    /// <summary>
    /// Turns probabilities back into logits with a floor, as the multinomial importance sampling does:
    /// <c>log(p(1-e) + e) - log(1 - p(1-e))</c>. Finite for every p in [0, 1].
    /// </summary>
    /// <param name="probabilities">Any shape, values in [0, 1].</param>
    /// <param name="epsilon">The floor e; 1e-3 in the reference.</param>
    /// <returns>Logits of the same shape, dtype and device.</returns>
    public static Tensor probability_to_logit(Tensor probabilities, double epsilon = 1e-3)
    {
        Check.NotNull(probabilities, nameof(probabilities));
        Check.FloatingPoint(probabilities, nameof(probabilities));
        Check.InRange(epsilon, double.Epsilon, 0.5, nameof(epsilon));
        using var scope = torch.NewDisposeScope();
        var shrunk = probabilities * (1 - epsilon);
        return (torch.log(shrunk + epsilon) - torch.log(1 - shrunk)).MoveToOuterDisposeScope();
    }
}
