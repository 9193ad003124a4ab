namespace Hfpl.Samples.Baselines;

/// <summary>
/// What a baseline trains with on photographs (a data folder) when the user gives no option: its training length and gradient
/// clipping, for the baseline and its "++" variant alike, and the "++" variant's feature similarity loss weight. The values are the
/// settings that won the MSRC-21 study in samples/README.md ("Summary" sections); the built-in synthetic data keeps its own defaults.
/// </summary>
/// <param name="Steps">Optimisation steps (the baseline and its "++" variant train equally long).</param>
/// <param name="FslWeight">Weight of the feature similarity loss in the "++" variant.</param>
/// <param name="MaxGradientNorm">The L2 norm each step's gradient is clipped to (<see cref="Training.TrainingOptions.MaxGradientNorm"/>),
/// both variants alike; null for none.</param>
public sealed record PhotographDefaults(int Steps, double FslWeight, double? MaxGradientNorm = null);
