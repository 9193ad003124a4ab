namespace Hfpl.Samples.Baselines;

/// <summary>
/// Hyper-parameters of the baselines themselves (not of the add-on), saved with each checkpoint. A baseline reads the ones that
/// concern it; the defaults are the reference implementations'.
/// </summary>
/// <param name="SeamViewScale">SEAM's second view is the crop rescaled by this factor, in (0, 1): the reference's 0.3 at its 448-pixel
/// crop. <see cref="SeamBaseline.ViewScaleForCrop"/> keeps the reference's second view size at other crops.</param>
public sealed record BaselineOptions(double SeamViewScale = SeamBaseline.ReferenceViewScale)
{
    /// <summary>These options as <paramref name="baseline"/>'s checkpoint records them: null for the references' options and for a
    /// baseline that reads none of them (CAM), so that runs with the same model compare equal whatever else was set, and whichever
    /// build wrote them.</summary>
    public BaselineOptions? For(string baseline) => WsssBaselines.ReadsOptions(baseline) && this != new BaselineOptions() ? this : null;

    /// <summary>What is wrong with these options, or null.</summary>
    public string? Problem() =>
        SeamViewScale is > 0 and < 1 ? null : FormattableString.Invariant($"the SEAM view scale must be in (0, 1), got {SeamViewScale}");

    /// <summary>Every option with its value, e.g. "SEAM view 0.6", whether or not it is the default.</summary>
    public string Describe() => FormattableString.Invariant($"SEAM view {SeamViewScale:0.###}");

    /// <summary>A short description of what differs from the defaults, e.g. "SEAM view 0.6"; empty for the defaults.</summary>
    public override string ToString() => SeamViewScale != SeamBaseline.ReferenceViewScale ? Describe() : "";
}
