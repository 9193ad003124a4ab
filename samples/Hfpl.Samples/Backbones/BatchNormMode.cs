namespace Hfpl.Samples.Backbones;

/// <summary>
/// How a backbone's batch-normalisation layers behave when the model is put in training mode.
/// WSSS fine-tuning runs with small batches (often 8 to 16 crops), whose batch statistics are too noisy to
/// replace ImageNet's, so the usual choice there is <see cref="FrozenStatistics"/> or <see cref="Frozen"/>.
/// </summary>
public enum BatchNormMode
{
    /// <summary>Plain batch norm: batch statistics and updated running averages in training, learnable affine.</summary>
    Trainable,

    /// <summary>Running statistics are used and kept even in training; scale and shift are still learned.</summary>
    FrozenStatistics,

    /// <summary>Running statistics are used and kept, and scale and shift are not learned (<c>requires_grad</c> is false).</summary>
    Frozen,
}
