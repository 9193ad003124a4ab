using Hfpl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl;

public static partial class hfpl
{
    /// <summary>The binomial background score <c>1 - max_c fg_c</c> of normalised foreground maps.</summary>
    /// <param name="foreground">Normalised foreground maps <c>(B, K, h, w)</c> in [0, 1], usually label-masked.</param>
    /// <returns><c>(B, 1, h, w)</c>, same dtype and device.</returns>
    public static Tensor background_channel(Tensor foreground)
    {
        Check.Map(foreground, 4, nameof(foreground), "(B, K, h, w)");
        using var scope = torch.NewDisposeScope();
        // 1 - max, with no implicit Scalars (see Scalars).
        return foreground.amax([1], keepdim: true).neg().add_(Scalars.One, Scalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The binomial predictions the feature similarity loss consumes: <c>cat(1 - max fg, fg)</c> with
    /// <c>fg = maxnorm(z) * y</c>; background first, as in VOC-style data (docs/method.md section 2).
    /// </summary>
    /// <param name="logits">Foreground CAM logits <c>(B, K, h, w)</c>.</param>
    /// <param name="labels">Image-level labels <c>(B, K)</c> in {0, 1}.</param>
    /// <param name="appendBackground">False leaves the background channel out and returns <c>(B, K, h, w)</c>.</param>
    /// <param name="gradient">The gradient of the max-normalisation (<see cref="MaxNormGradient"/>): the formula's own (default,
    /// the paper's) or straight-through, which lets the feature similarity loss grow a map as well as shrink it.</param>
    /// <returns><c>(B, K + 1, h, w)</c> (or <c>(B, K, h, w)</c>), differentiable with respect to <paramref name="logits"/>.</returns>
    public static Tensor binomial_predictions(Tensor logits, Tensor labels, bool appendBackground = true, MaxNormGradient gradient = MaxNormGradient.Exact)
    {
        using var scope = torch.NewDisposeScope();
        var foreground = mask_labels(max_norm(logits, gradient), labels);
        var result = appendBackground ? torch.cat([background_channel(foreground), foreground], 1) : foreground;
        return result.MoveToOuterDisposeScope();
    }
}
