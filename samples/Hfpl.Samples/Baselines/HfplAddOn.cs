using Hfpl.Losses;
using Hfpl.Losses.Modules;
using Hfpl.Modules;
using static TorchSharp.torch;

namespace Hfpl.Samples.Baselines;

/// <summary>
/// The "++" add-on wired into a baseline through Hfpl's public API only: importance sampling pooling mixed into
/// the classification loss, and the feature similarity loss on the CAM grid. This is what a user adds to their
/// own network; the baselines call it with their CAM logits and nothing else changes.
/// </summary>
public sealed class HfplAddOn : nn.Module
{
    readonly ImportanceSamplingPool pool;
    readonly Losses.Modules.ImportanceSamplingLoss classification;
    readonly FeatureSimilarityLoss featureSimilarity;
    readonly FeatureResize featureResize;
    readonly int gridFactor;
    readonly bool maskSampling;
    readonly MaxNormGradient gradient;

    /// <summary>Creates the add-on with the paper's binomial defaults.</summary>
    /// <param name="samples">S, draws per (image, class): 10.</param>
    /// <param name="lambda">Weight of the importance sampling term in the classification loss: 0.2.</param>
    /// <param name="fslWeight">Weight of the feature similarity loss: 1.</param>
    /// <param name="sigma">Spatial kernel width in CAM-grid cells: 5.</param>
    /// <param name="windowRadius">Null for the exact FSL, else a window radius in grid cells.</param>
    /// <param name="seed">Seed of the sampling generator.</param>
    /// <param name="features">How the FSL's colour features are resized to the CAM grid.</param>
    /// <param name="gridFactor">The FSL runs on the CAM logits upsampled by this factor (1: the logits' own grid); <paramref name="sigma"/>
    /// and <paramref name="windowRadius"/> are in cells of that grid.</param>
    /// <param name="maskSampling">Never draw importance samples from padded cells (this library's option; the paper samples every cell).</param>
    /// <param name="gradient">The gradient of the FSL predictions' max-normalisation (<see cref="MaxNormGradient"/>; the paper: Exact).</param>
    /// <param name="fslOnRefined">Sets <see cref="FslOnRefinedMaps"/>.</param>
    public HfplAddOn(int samples = 10, double lambda = 0.2, double fslWeight = 1.0, double? sigma = 5, int? windowRadius = null, long? seed = null,
        FeatureResize features = FeatureResize.Bilinear, int gridFactor = 1, bool maskSampling = false, MaxNormGradient gradient = MaxNormGradient.Exact,
        bool fslOnRefined = false)
        : base(nameof(HfplAddOn))
    {
        FslOnRefinedMaps = fslOnRefined;
        this.gradient = gradient;
        this.maskSampling = maskSampling;
        if (gridFactor < 1) throw new ArgumentOutOfRangeException(nameof(gridFactor), gridFactor, "gridFactor must be at least 1.");
        featureResize = features;
        this.gridFactor = gridFactor;
        pool = hfpl.ImportanceSamplingPool(samples, seed: seed);
        classification = losses.ImportanceSamplingLoss(lambda);
        featureSimilarity = losses.FeatureSimilarityLoss(sigma: sigma, weight: fslWeight, windowRadius: windowRadius);
        RegisterComponents();
    }

    /// <summary>A baseline that refines its CAMs before reading them (SEAM) passes the refined maps to the FSL (<c>fslMaps</c> of
    /// <see cref="forward"/>) instead of its logits.</summary>
    public bool FslOnRefinedMaps { get; }

    /// <summary>
    /// The add-on's two terms for foreground CAM logits: the mixed classification loss
    /// <c>(1 - lambda) L_GAP + lambda L_IS</c> (it replaces the baseline's GAP loss) and <c>weight * L_FS</c>.
    /// </summary>
    /// <param name="images">RGB images in [0, 1] <c>(B, 3, H, W)</c>, un-normalised.</param>
    /// <param name="logits">Foreground CAM logits <c>(B, K, h, w)</c>.</param>
    /// <param name="pooledLogits">The baseline's GAP scores <c>(B, K)</c>.</param>
    /// <param name="labels">Image labels <c>(B, K)</c>.</param>
    /// <param name="valid">1 on image pixels, 0 on padding <c>(B, 1, H, W)</c>, or null. Each CAM-grid cell is weighted in the
    /// feature similarity loss by its share of image pixels, so padding edges are not taken for colour edges.</param>
    /// <param name="fslMaps">Foreground maps the FSL acts on instead of <paramref name="logits"/> <c>(B, K, h, w)</c>, e.g. a baseline's
    /// refined CAMs; null for the logits (the paper).</param>
    public (Tensor Classification, Tensor FeatureSimilarity) forward(Tensor images, Tensor logits, Tensor pooledLogits, Tensor labels, Tensor? valid = null,
        Tensor? fslMaps = null)
    {
        using var scope = NewDisposeScope();
        // The sampling mask is pooled only when it is used; the FSL's mask below is pooled to its own (possibly finer) grid.
        var sampled = maskSampling && valid is not null
            ? pool.forward(logits, nn.functional.adaptive_avg_pool2d(valid, [logits.shape[2], logits.shape[3]]))
            : pool.call(logits);
        var classificationLoss = classification.call(pooledLogits, sampled, labels);
        var grid = losses.upsample_cam_grid(fslMaps ?? logits, gridFactor);
        var features = losses.feature_similarity_features(images, grid.shape[2], grid.shape[3], featureResize);
        var predictions = hfpl.binomial_predictions(grid, labels, gradient: gradient);
        var mask = valid is null ? null : nn.functional.adaptive_avg_pool2d(valid, [grid.shape[2], grid.shape[3]]);
        var fsl = featureSimilarity.forward(features, predictions, mask);
        return (classificationLoss.MoveToOuterDisposeScope(), fsl.MoveToOuterDisposeScope());
    }
}
