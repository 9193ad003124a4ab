namespace Hfpl.Samples.Baselines;

/// <summary>
/// The hyper-parameters of the "++" add-on, saved with each checkpoint. The defaults are the paper's binomial
/// settings for VOC (docs/method.md sections 1 and 2).
/// </summary>
/// <param name="Lambda">Weight of the importance sampling term in the classification loss, in [0, 1]: 0.2.</param>
/// <param name="FslWeight">Weight of the feature similarity loss: 1 (0 switches it off).</param>
/// <param name="Sigma">Spatial kernel width in CAM-grid cells: 5; null for the uniform kernel <c>1/(h w)</c>.</param>
/// <param name="WindowRadius">Null for the exact FSL, else the window radius in grid cells.</param>
/// <param name="Samples">S, draws per (image, class): 10.</param>
/// <param name="Features">How the FSL's colour features are resized to the CAM grid: bilinear (the paper) or area averaging.</param>
/// <param name="GridFactor">The FSL runs on the CAM logits upsampled by this factor (1: the logits' grid); Sigma and WindowRadius are in its cells.</param>
/// <param name="MaskSampling">Importance sampling never draws padded crop cells (the paper draws every cell).</param>
/// <param name="Gradient">The gradient of the FSL predictions' max-normalisation: the formula's own (the paper's) or straight-through.</param>
/// <param name="FslOnRefined">For a baseline that refines its CAMs before reading them (SEAM's pixel correlation module), the FSL acts on
/// the refined maps instead of the CAM logits (the paper: the logits). No effect on a baseline without refinement.</param>
public sealed record AddOnSettings(double Lambda = 0.2, double FslWeight = 1.0, double? Sigma = 5, int? WindowRadius = null, int Samples = 10,
    Hfpl.Losses.FeatureResize Features = Hfpl.Losses.FeatureResize.Bilinear, int GridFactor = 1, bool MaskSampling = false,
    MaxNormGradient Gradient = MaxNormGradient.Exact, bool FslOnRefined = false)
{
    /// <summary>Builds the add-on module with these settings and a sampler seed.</summary>
    public HfplAddOn Create(long seed) => new(Samples, Lambda, FslWeight, Sigma, WindowRadius, seed, Features, GridFactor, MaskSampling, Gradient, FslOnRefined);

    /// <summary>A short description, e.g. "lambda 0.2, FSL weight 1, sigma 5".</summary>
    public override string ToString() =>
        FormattableString.Invariant($"lambda {Lambda}, FSL weight {FslWeight}, sigma {(Sigma is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")}") +
        (WindowRadius is { } r ? $", window {r}" : "") + (Samples != 10 ? $", S {Samples}" : "") +
        (Features != Hfpl.Losses.FeatureResize.Bilinear ? $", {Features.ToString().ToLowerInvariant()} features" : "") +
        (GridFactor != 1 ? $", FSL grid x{GridFactor}" : "") + (MaskSampling && Lambda > 0 ? ", no samples from padding" : "") +
        (Gradient == MaxNormGradient.StraightThrough ? ", straight-through FSL gradient" : "") + (FslOnRefined ? ", FSL on refined maps" : "");
}
