namespace Hfpl;

/// <summary>
/// How per-pixel class probabilities are read from CAM logits (Jonnarth et al., WACV 2024, docs/method.md section 1).
/// </summary>
public enum Posterior
{
    /// <summary>Each class is an independent binary problem: <c>p_c = sigmoid(z_c)</c>. The paper's default.</summary>
    Binomial,

    /// <summary>Classes compete at each pixel: <c>p = softmax(z)</c> over all channels, background included (the predecessor method).</summary>
    Multinomial,
}
