using Hfpl.Internal;

namespace Hfpl.Losses.FeatureSimilarity;

/// <summary>
/// The feature similarity loss's hyper-parameters, checked once, with the constants the kernels derive from them.
/// </summary>
/// <param name="Posterior">Binomial (d_x over Cx^(1/px), d_y = 0.5 sum |du|^py) or multinomial (d_x over Cx, d_y = ||du||_py^2).</param>
/// <param name="Mu">Offset mu of the colour-edge weight; 2.5 in the paper.</param>
/// <param name="Sigma">Spatial kernel width in grid cells, or null for the flat kernel 1/(h w).</param>
/// <param name="Px">Norm of the feature distance; 1 in the paper.</param>
/// <param name="Py">Exponent of the prediction distance; 2 in the paper.</param>
internal readonly record struct FeatureSimilarityParameters(Posterior Posterior, double Mu, double? Sigma, double Px, double Py)
{
    /// <summary>The 1e-5 of <c>log((d_x + 1e-5) / (1 - d_x + 1e-5))</c>.</summary>
    public const double DistanceEpsilon = 1e-5;

    /// <summary>Largest |mu| accepted: <c>exp(2 mu)</c> must stay well inside float32.</summary>
    public const double MaxAbsMu = 20;

    /// <summary>Every problem with the values, one message each.</summary>
    public static IReadOnlyList<string> Validate(Posterior posterior, double mu, double? sigma, double px, double py)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(posterior)) errors.Add($"posterior must be Binomial or Multinomial, got {posterior}.");
        if (!(Math.Abs(mu) <= MaxAbsMu)) errors.Add($"mu must be a finite number in [-{MaxAbsMu}, {MaxAbsMu}], got {mu}.");
        if (sigma is { } s && (!(s > 0) || double.IsInfinity(s))) errors.Add($"sigma must be positive and finite (or null for a flat kernel), got {s}.");
        if (!(px >= 1) || double.IsInfinity(px)) errors.Add($"px must be a finite number >= 1, got {px}.");
        if (!(py >= 1) || double.IsInfinity(py)) errors.Add($"py must be a finite number >= 1, got {py}.");
        return errors;
    }

    /// <summary>
    /// Checks the values, throwing one <see cref="ArgumentException"/> that lists every bad one; its parameter name is the
    /// first bad argument (each message starts with the argument's name).
    /// </summary>
    public static FeatureSimilarityParameters Create(Posterior posterior, double mu, double? sigma, double px, double py)
    {
        var errors = Validate(posterior, mu, sigma, px, py);
        if (errors.Count > 0) OptionsGuard.ThrowIfInvalid(errors, errors[0].Split(' ')[0]);
        return new(posterior, mu, sigma, px, py);
    }

    /// <summary><c>exp(2 mu)</c>: <c>tanh(mu + log(a/b)) = (E a^2 - b^2) / (E a^2 + b^2)</c>.</summary>
    public double TanhScale => Math.Exp(2 * Mu);

    /// <summary>What the px-norm of a feature difference is divided by: <c>Cx^(1/px)</c> binomial, <c>Cx</c> multinomial.</summary>
    public double FeatureNormDivisor(long channels) =>
        Posterior == Posterior.Binomial ? Math.Pow(channels, 1 / Px) : channels;

    /// <summary>The spatial kernel <c>k</c> for a grid offset (dy, dx) on an h x w grid.</summary>
    public double SpatialKernel(long dy, long dx, long h, long w) => Sigma is { } s
        ? Math.Exp(-(dy * dy + dx * dx) / (2 * s * s)) / (2 * Math.PI * s * s)
        : 1.0 / (h * w);
}
