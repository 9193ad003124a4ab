namespace Hfpl.Samples.Training;

/// <summary>Settings of <see cref="Trainer"/>: augmentation, SGD with a poly schedule, seed and checkpoints.</summary>
public sealed record TrainingOptions
{
    /// <summary>Optimisation steps (batches).</summary>
    public int Steps { get; init; } = 300;

    /// <summary>Images per batch.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Side of the square training crop, in pixels.</summary>
    public int CropSize { get; init; } = 96;

    /// <summary>Random rescale range of the image before cropping, relative to its own size; used when <see cref="LongSideRange"/> is null.</summary>
    public (double Min, double Max) ScaleRange { get; init; } = (0.7, 1.3);

    /// <summary>
    /// Random rescale of each image so that its long side is drawn from [Min, Max] pixels before cropping, whatever the
    /// image's own size; null to use <see cref="ScaleRange"/>. <see cref="LongSideForCrop"/> gives the reference's range.
    /// </summary>
    public (int Min, int Max)? LongSideRange { get; init; }

    /// <summary>
    /// The long-side range tied to the crop that SEAM's reference uses (448-768 pixels for a 448 crop): <c>[crop, 12/7 crop]</c>.
    /// A crop then shows most of the image whether the photograph is 320 or 640 pixels wide.
    /// </summary>
    public static (int Min, int Max) LongSideForCrop(int crop) => (crop, (int)Math.Round(crop * 768.0 / 448.0));

    /// <summary>
    /// The long side, in pixels, at which inference should see an image so that objects have their typical training
    /// size: the geometric mean of <see cref="LongSideRange"/> (293 for a 224 crop), or null when training used relative scales.
    /// </summary>
    public int? InferenceLongSide => LongSideRange is { } r ? (int)Math.Round(Math.Sqrt((double)r.Min * r.Max)) : null;

    /// <summary>Colour jitter strength j: brightness, contrast and saturation factors are drawn from [1 - j, 1 + j].</summary>
    public double ColourJitter { get; init; } = 0.3;

    /// <summary>Base learning rate, for pretrained layers.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Learning-rate factor of layers that start from scratch.</summary>
    public double NewLayerFactor { get; init; } = 10;

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay.</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Poly schedule power: <c>lr = base (1 - step / steps)^power</c>.</summary>
    public double PolyPower { get; init; } = 0.9;

    /// <summary>
    /// Largest L2 norm of the gradient over all parameters taken as one vector; a step whose gradient is longer is scaled
    /// down to it before the optimiser step (<c>torch.nn.utils.clip_grad_norm_</c>). Null (the default) leaves gradients
    /// as they are.
    /// </summary>
    public double? MaxGradientNorm { get; init; }

    /// <summary>Seed of weight initialisation, dropout, augmentation and sampling.</summary>
    public int Seed { get; init; }

    /// <summary>Where to save the model weights (at the end, and every <see cref="CheckpointEvery"/> steps); null for none.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Steps between checkpoints; 0 saves only at the end.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Every problem with the values.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Steps <= 0) errors.Add($"steps must be positive, got {Steps}.");
        if (BatchSize <= 0) errors.Add($"batch size must be positive, got {BatchSize}.");
        if (CropSize < 16) errors.Add($"crop size must be at least 16, got {CropSize}.");
        if (!(ScaleRange.Min > 0 && ScaleRange.Max >= ScaleRange.Min)) errors.Add($"scale range must satisfy 0 < min <= max, got {ScaleRange}.");
        if (LongSideRange is { } l && !(l.Min >= 8 && l.Max >= l.Min)) errors.Add($"long-side range must satisfy 8 <= min <= max, got {l}.");
        if (!(ColourJitter >= 0 && ColourJitter < 1)) errors.Add($"colour jitter must be in [0, 1), got {ColourJitter}.");
        if (!(LearningRate > 0)) errors.Add($"learning rate must be positive, got {LearningRate}.");
        if (MaxGradientNorm is { } g && !(g > 0)) errors.Add($"max gradient norm must be positive, got {g}.");
        if (CheckpointEvery < 0) errors.Add($"checkpoint interval must not be negative, got {CheckpointEvery}.");
        return errors;
    }
}
