using Hfpl.Losses.FeatureSimilarity;

namespace Hfpl.Losses;

/// <summary>
/// Hyper-parameters of the feature similarity loss (docs/method.md section 2), the paper's binomial defaults.
/// Bind from configuration section <see cref="SectionName"/> or set in code; <see cref="FeatureSimilarityOptionsValidator"/> checks it.
/// </summary>
public sealed class FeatureSimilarityOptions
{
    /// <summary>Configuration section name conventionally used for these options.</summary>
    public const string SectionName = "Hfpl:FeatureSimilarity";

    /// <summary>Binomial (default) or multinomial form.</summary>
    public Posterior Posterior { get; set; } = Posterior.Binomial;

    /// <summary>mu, offset of the colour-edge weight; w = 0 at <c>d_x = 1 / (1 + e^mu)</c>. In [-20, 20]. Default 2.5.</summary>
    public double Mu { get; set; } = 2.5;

    /// <summary>sigma, width of the spatial kernel in CAM-grid cells; null for the flat kernel <c>1 / (h w)</c>. Positive. Default 5.</summary>
    public double? Sigma { get; set; } = 5;

    /// <summary>px, norm of the colour distance. At least 1. Default 1.</summary>
    public double Px { get; set; } = 1;

    /// <summary>py, exponent of the prediction distance. At least 1; 2 takes the fast matrix-product path. Default 2.</summary>
    public double Py { get; set; } = 2;

    /// <summary>Weight of the loss in the total loss: 1.0 (VOC), 0.2 (COCO), 0.5 (multinomial form). Non-negative. Default 1.</summary>
    public double Weight { get; set; } = 1.0;

    /// <summary>Null: exact loss over all pairs. Otherwise only pairs at most this many grid cells apart along each axis (at least 1); 3 sigma keeps 99.5 % of the kernel's mass.</summary>
    public int? WindowRadius { get; set; }

    /// <summary>Every problem with the current values, one message per bad value; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(FeatureSimilarityParameters.Validate(Posterior, Mu, Sigma, Px, Py)
            .Select(e => char.ToUpperInvariant(e[0]) + e[1..]));
        if (!(Weight >= 0) || double.IsInfinity(Weight)) errors.Add($"{nameof(Weight)} must be a non-negative finite number, got {Weight}.");
        if (WindowRadius is { } r && r < 1) errors.Add($"{nameof(WindowRadius)} must be at least 1 (or null for the exact loss), got {r}.");
        return errors;
    }
}
