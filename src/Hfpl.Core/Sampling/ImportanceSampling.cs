using Hfpl.Internal;
using Hfpl.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl;

// Importance sampling pooling: Jonnarth, Zhang, Felsberg, "High-fidelity Pseudo-labels for Boosting
// Weakly-Supervised Segmentation", WACV 2024, and "Importance Sampling CAMs for Weakly-Supervised
// Segmentation", ICASSP 2022 (docs/method.md section 1).
public static partial class hfpl
{
    /// <summary>
    /// The spatial sampling distribution of every (image, foreground class) row:
    /// <c>q_bc(x) = (p_bc(x) + eps) / sum_x' (p_bc(x') + eps)</c>. Computed without gradient.
    /// </summary>
    /// <param name="logits">CAM logits <c>(B, C, h, w)</c>.</param>
    /// <param name="posterior">Binomial: <c>p = sigmoid(z)</c>; multinomial: <c>p = softmax(z)</c> over all C channels.</param>
    /// <param name="hasBackground">True when channel 0 is a background channel: it is never sampled and
    /// the output has <c>K = C - 1</c> rows per image (it still enters the multinomial softmax).</param>
    /// <param name="epsilon">Added to every probability so that no row is all zero; 1e-5 in the paper.</param>
    /// <param name="mask">Optional cell weights <c>(B, 1, h, w)</c> in [0, 1] (this library's addition): <c>q ∝ (p + eps) m</c>, so cells with
    /// 0 (padding added by crop augmentation) are never drawn. Every image needs a positive cell.</param>
    /// <returns>The pmf <c>(B, K, h * w)</c>, rows summing to 1, same dtype and device as <paramref name="logits"/>.</returns>
    public static Tensor importance_sampling_pmf(Tensor logits, Posterior posterior = Posterior.Binomial,
        bool hasBackground = false, double epsilon = 1e-5, Tensor? mask = null)
    {
        CheckSamplingArguments(logits, 1, hasBackground, epsilon, mask);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var mass = SamplingMass(logits, posterior, hasBackground, epsilon, mask);
        return (mass / mass.sum(2, keepdim: true)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Draws S grid indices per (image, foreground class), i.i.d. with replacement from
    /// <see cref="importance_sampling_pmf"/>. The draw carries no gradient.
    /// </summary>
    /// <param name="logits">CAM logits <c>(B, C, h, w)</c>.</param>
    /// <param name="samples">S, draws per row (10 in the paper).</param>
    /// <param name="posterior">See <see cref="importance_sampling_pmf"/>.</param>
    /// <param name="hasBackground">See <see cref="importance_sampling_pmf"/>.</param>
    /// <param name="epsilon">See <see cref="importance_sampling_pmf"/>.</param>
    /// <param name="generator">A seeded generator for reproducible draws (any device), or null for TorchSharp's default.</param>
    /// <param name="mask">See <see cref="importance_sampling_pmf"/>.</param>
    /// <returns>Flat grid indices <c>(B, K, S)</c>, int64, in [0, h * w), on the device of <paramref name="logits"/>.</returns>
    public static Tensor importance_sampling_indices(Tensor logits, long samples = 10, Posterior posterior = Posterior.Binomial,
        bool hasBackground = false, double epsilon = 1e-5, Generator? generator = null, Tensor? mask = null)
    {
        CheckSamplingArguments(logits, samples, hasBackground, epsilon, mask);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var mass = SamplingMass(logits, posterior, hasBackground, epsilon, mask);
        var (b, k, n) = (mass.shape[0], mass.shape[1], mass.shape[2]);
        var table = mass.reshape(b * k, n);
        var indices = (BlockedInverseCdfSampler.Supports(table)
            ? BlockedInverseCdfSampler.Sample(table, samples, generator)
            : InverseCdfSampler.Sample(table, samples, generator)).view(b, k, samples);
        return indices.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Importance sampling pooling: samples S pixels per (image, foreground class) from the CAM's own
    /// posterior and returns the logits there, replacing or supplementing global average pooling.
    /// Binomial: the gathered logits <c>z_bc(x_s)</c>. Multinomial: the gathered softmax probabilities turned
    /// back into logits with <see cref="probability_to_logit"/> (e = 1e-3). Gradient reaches the gathered
    /// values only; the indices are constants.
    /// </summary>
    /// <param name="logits">CAM logits <c>(B, C, h, w)</c>, float32 or float64, finite.</param>
    /// <param name="samples">S, draws per row (10 binomial, 100 in the multinomial predecessor).</param>
    /// <param name="posterior">Binomial (default) or multinomial.</param>
    /// <param name="hasBackground">True when channel 0 is background (never sampled, dropped from the output).</param>
    /// <param name="epsilon">Probability floor of the sampling distribution, 1e-5.</param>
    /// <param name="generator">A seeded generator for reproducible draws, or null.</param>
    /// <param name="mask">Optional cell weights <c>(B, 1, h, w)</c>; cells with 0 are never drawn (see <see cref="importance_sampling_pmf"/>).</param>
    /// <returns>Sampled logits <c>(B, K, S)</c>, same dtype and device as <paramref name="logits"/>.</returns>
    public static Tensor importance_sampling_pool(Tensor logits, long samples = 10, Posterior posterior = Posterior.Binomial,
        bool hasBackground = false, double epsilon = 1e-5, Generator? generator = null, Tensor? mask = null)
    {
        using var scope = torch.NewDisposeScope();
        var indices = importance_sampling_indices(logits, samples, posterior, hasBackground, epsilon, generator, mask);
        Tensor pooled = posterior == Posterior.Binomial
            ? Foreground(logits, hasBackground).flatten(2).gather(2, indices)
            : probability_to_logit(Foreground(torch.softmax(logits, 1), hasBackground).flatten(2).gather(2, indices));
        return pooled.MoveToOuterDisposeScope();
    }

    static Tensor Foreground(Tensor maps, bool hasBackground) => hasBackground ? maps[.., 1..] : maps;

    /// <summary>
    /// The unnormalised sampling mass <c>p + eps</c> <c>(B, K, h w)</c> of the foreground channels, built in place, from
    /// logits that <see cref="CheckSamplingArguments"/> has checked (one finiteness pass per call, not two).
    /// </summary>
    static Tensor SamplingMass(Tensor logits, Posterior posterior, bool hasBackground, double epsilon, Tensor? mask)
    {
        using var eps = epsilon.ToScalar(); // no implicit Scalars: see Scalars
        var mass = Foreground(UncheckedPosterior(logits.detach(), posterior), hasBackground).flatten(2).add_(eps, Scalars.One);
        return mask is null ? mass : mass.mul_(mask.detach().to(mass.dtype).flatten(2));
    }

    static void CheckSamplingArguments(Tensor logits, long samples, bool hasBackground, double epsilon, Tensor? mask = null)
    {
        Check.Map(logits, 4, nameof(logits), "(B, C, h, w)");
        Check.Positive(samples, nameof(samples));
        Check.Positive(epsilon, nameof(epsilon));
        if (hasBackground && logits.shape[1] < 2)
            throw new ArgumentException(
                $"logits must have a background channel and at least one foreground channel (C >= 2) when hasBackground is true, got {Check.Shape(logits)}.",
                nameof(logits));
        if (mask is null) return;
        Check.CellMask(mask, logits, nameof(logits));
        using var scope = torch.NewDisposeScope();
        if (!(mask.flatten(1).sum(1).min().to(ScalarType.Float64).item<double>() > 0))
            throw new ArgumentException("mask must have a positive cell in every image.", nameof(mask));
    }
}
