namespace Hfpl;

/// <summary>
/// Which gradient <see cref="hfpl.max_norm"/> (and <see cref="hfpl.binomial_predictions"/>) passes back to the CAM logits. The
/// value is the same for both: <c>maxnorm(t) = relu(relu(t) - min - 1e-5) / (max - min + 1e-5)</c>.
/// </summary>
public enum MaxNormGradient
{
    /// <summary>
    /// The derivative of the formula, as the authors' code has it: nothing reaches cells at or below zero (both relus
    /// block them), and the gradient also flows through min and max. Fed to the feature similarity loss, this gradient can
    /// only shrink a map's support: a cell outside it is never pulled up by its like-coloured neighbours inside, and
    /// raising the peak lowers every other normalised value.
    /// </summary>
    Exact,

    /// <summary>
    /// Straight-through (this library's extension): every cell gets <c>d maxnorm / d t = 1 / (max t - min t + 1e-5)</c>, with
    /// max and min of the raw logits over the map, as if the map were the unclamped <c>(t - min) / (max - min)</c> with min
    /// and max held fixed. The raw range (not that of <c>relu(t)</c>, which is 0 for a map with no positive cell and would
    /// give a gradient of 1e5) keeps the gradient bounded on every map. The loss value is unchanged;
    /// the feature similarity loss can then move a map's support outwards as well as inwards, and cannot sharpen a map by
    /// raising its peak.
    /// </summary>
    StraightThrough,
}
