namespace Hfpl;

/// <summary>
/// Hyper-parameters of importance sampling pooling and its classification loss (docs/method.md section 1).
/// Defaults are the paper's binomial settings; the multinomial predecessor used <c>Samples = 100</c>, <c>Lambda = 0.8</c>.
/// Bind from configuration section <see cref="SectionName"/> or set in code; <see cref="ImportanceSamplingOptionsValidator"/> checks it.
/// </summary>
public sealed class ImportanceSamplingOptions
{
    /// <summary>Configuration section name conventionally used for these options.</summary>
    public const string SectionName = "Hfpl:ImportanceSampling";

    /// <summary>S, pixels drawn per (image, foreground class), with replacement. Must be positive. Default 10.</summary>
    public int Samples { get; set; } = 10;

    /// <summary>lambda in <c>(1 - lambda) * L_GAP + lambda * L_IS</c>; 0 = GAP only, 1 = importance sampling only. In [0, 1]. Default 0.2.</summary>
    public double Lambda { get; set; } = 0.2;

    /// <summary>Posterior that defines the sampling distribution. Default <see cref="Posterior.Binomial"/>.</summary>
    public Posterior Posterior { get; set; } = Posterior.Binomial;

    /// <summary>eps added to every probability of the sampling distribution. Positive. Default 1e-5.</summary>
    public double Epsilon { get; set; } = 1e-5;

    /// <summary>True when channel 0 of the logits is background (never sampled). Default false: logits are foreground only.</summary>
    public bool HasBackground { get; set; }

    /// <summary>Seed of the pool's own generator for reproducible draws; null uses TorchSharp's default generator.</summary>
    public long? Seed { get; set; }

    /// <summary>Every problem with the current values, one message per bad value; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Samples <= 0) errors.Add($"{nameof(Samples)} must be positive, got {Samples}.");
        if (!(Lambda >= 0 && Lambda <= 1)) errors.Add($"{nameof(Lambda)} must be in [0, 1], got {Lambda}.");
        if (!Enum.IsDefined(Posterior)) errors.Add($"{nameof(Posterior)} must be Binomial or Multinomial, got {Posterior}.");
        if (!(Epsilon > 0) || double.IsInfinity(Epsilon)) errors.Add($"{nameof(Epsilon)} must be a positive finite number, got {Epsilon}.");
        return errors;
    }
}
