using Hfpl.Internal;
using Hfpl.Losses.FeatureSimilarity;
using Hfpl.Native;
using TorchSharp;
using static TorchSharp.torch;

// Feature similarity loss: Jonnarth, Zhang, Felsberg, "High-fidelity Pseudo-labels for Boosting
// Weakly-Supervised Segmentation", WACV 2024 (docs/method.md section 2); the binomial form is the paper's, the
// multinomial form its predecessor's.
namespace Hfpl.Losses
{
    public static partial class losses
    {
        /// <summary>
        /// The feature similarity loss: <c>L = -(1 / (B h w)) sum_b sum_ij k_ij d_y(i, j) w_ij</c> over ordered pairs of
        /// grid cells, with the colour-edge weight <c>w_ij = tanh(mu + log((d_x + 1e-5) / (1 - d_x + 1e-5)))</c>,
        /// <c>d_x = clamp(||f_i - f_j||_px / Cx^(1/px), 0, 1)</c> (multinomial: divided by Cx), the prediction distance
        /// <c>d_y = 0.5 sum_c |u_ic - u_jc|^py</c> (multinomial: <c>||u_i - u_j||_py^2</c>), and the spatial kernel
        /// <c>k_ij = exp(-||p_i - p_j||^2 / (2 sigma^2)) / (2 pi sigma^2)</c> in grid cells (<c>1 / (h w)</c> without sigma).
        /// Similar colours that predict differently are penalised; predictions that change across colour edges are rewarded.
        /// The gradient flows into <paramref name="predictions"/> only. The loss weight (1.0, or 0.5 multinomial) is applied by the caller or the module.
        /// </summary>
        /// <param name="features">Image features <c>(B, Cx, h, w)</c>: the un-normalised RGB image in [0, 1] resized to the CAM grid
        /// (see <see cref="feature_similarity_features"/>). Cast to the predictions' dtype and clamped to [0, 1] here, as the
        /// reference loss does, so colours slightly out of range (bilinear overshoot, jitter) are fine; values outside
        /// [<see cref="MinFeatureValue"/>, <see cref="MaxFeatureValue"/>] (an image left in 0..255, or a normalised one) are
        /// an <see cref="ArgumentException"/>. No gradient.</param>
        /// <param name="predictions">Predictions <c>(B, Cy, h, w)</c>: binomial <see cref="hfpl.binomial_predictions"/>, multinomial softmax.</param>
        /// <param name="posterior">Binomial (default) or multinomial form.</param>
        /// <param name="mu">Offset of the colour-edge weight, 2.5: w = 0 at <c>d_x = 1 / (1 + e^mu)</c>.</param>
        /// <param name="sigma">Spatial kernel width in grid cells, 5; null for the flat kernel <c>1 / (h w)</c>.</param>
        /// <param name="px">Norm of the feature distance, 1.</param>
        /// <param name="py">Exponent of the prediction distance, 2 (the fast matrix-product path; others take the general path).</param>
        /// <param name="windowRadius">Null: the exact loss over all pairs. A radius r: only pairs at most r grid cells apart
        /// along each axis (a square window), O(B Cy h w r^2) time and O(B Cy h w) memory; r = 3 sigma keeps 99.5 % of the kernel's mass.</param>
        /// <param name="mask">Optional cell weights <c>(B, 1, h, w)</c> in [0, 1]: pair (i, j) counts <c>m_i m_j</c> times, so cells
        /// with 0 (padding added by crop augmentation, ignored regions) take part in no pair. The normalisation stays
        /// <c>1 / (B h w)</c>. Padding left in is a flat region with a strong edge, which the loss rewards predictions for
        /// following: mask it, or crop without padding.</param>
        /// <returns>A 0-dim loss, the predictions' dtype and device.</returns>
        public static Tensor feature_similarity_loss(Tensor features, Tensor predictions, Posterior posterior = Posterior.Binomial,
            double mu = 2.5, double? sigma = 5, double px = 1, double py = 2, int? windowRadius = null, Tensor? mask = null)
        {
            Check.Map(features, 4, nameof(features), "(B, Cx, h, w)");
            Check.Map(predictions, 4, nameof(predictions), "(B, Cy, h, w)");
            Check.SameBatchAndGrid(features, nameof(features), predictions, nameof(predictions));
            Check.SameDevice(predictions, features, nameof(features));
            if (windowRadius is { } r && r < 1)
                throw new ArgumentOutOfRangeException(nameof(windowRadius), r, "windowRadius must be at least 1 (or null for the exact loss).");
            var parameters = FeatureSimilarityParameters.Create(posterior, mu, sigma, px, py);
            if (mask is not null) CheckMask(mask, predictions);

            using var scope = torch.NewDisposeScope();
            CheckColourRange(features);
            // No implicitly converted Scalars (see Scalars).
            var f = features.detach().to(predictions.dtype).clamp(Scalars.Zero, Scalars.One);
            var u = predictions.detach();
            var m = mask?.detach().to(predictions.dtype);
            var (sum, gradient) = windowRadius is not { } radius ? ExactPairwiseKernel.Compute(f, u, parameters, m)
                : FusedWindowedKernel.Supports(f, parameters) ? FusedWindowedKernel.Compute(f, u, radius, parameters, m)
                : WindowedPairwiseKernel.Compute(f, u, radius, parameters, m);
            using var scale = (-1.0 / (predictions.shape[0] * predictions.shape[2] * predictions.shape[3])).ToScalar();
            return AnalyticGradient.Attach(sum.mul_(scale), predictions, gradient.mul_(scale)).MoveToOuterDisposeScope();
        }

        /// <summary>The lowest feature value <see cref="feature_similarity_loss"/> accepts (and clamps to 0).</summary>
        public const double MinFeatureValue = -1;

        /// <summary>The highest feature value <see cref="feature_similarity_loss"/> accepts (and clamps to 1).</summary>
        public const double MaxFeatureValue = 2;

        static void CheckColourRange(Tensor features)
        {
            using var scope = torch.NewDisposeScope();
            var (min, max) = (features.min().to(ScalarType.Float64).item<double>(), features.max().to(ScalarType.Float64).item<double>());
            if (min >= MinFeatureValue && max <= MaxFeatureValue) return;
            throw new ArgumentException(
                $"features must be colours in [0, 1] (the loss clamps small excursions), got values from {min:G4} to {max:G4}: " +
                "divide an image in 0..255 by 255, and de-normalise a normalised one (feature_similarity_inputs does both).", nameof(features));
        }

        static void CheckMask(Tensor mask, Tensor predictions) => Check.CellMask(mask, predictions, nameof(predictions));

        /// <summary>Creates a <see cref="Modules.FeatureSimilarityLoss"/>; parameters as in <see cref="feature_similarity_loss"/>.</summary>
        /// <param name="posterior">Binomial (default) or multinomial.</param>
        /// <param name="mu">2.5.</param>
        /// <param name="sigma">5 grid cells, or null for a flat kernel.</param>
        /// <param name="px">1.</param>
        /// <param name="py">2.</param>
        /// <param name="weight">Multiplies the loss: 1.0 (VOC), 0.2 (COCO), 0.5 for the multinomial form.</param>
        /// <param name="windowRadius">Null for exact, else the window radius in grid cells.</param>
        public static Modules.FeatureSimilarityLoss FeatureSimilarityLoss(Posterior posterior = Posterior.Binomial, double mu = 2.5,
            double? sigma = 5, double px = 1, double py = 2, double weight = 1.0, int? windowRadius = null) =>
            new(posterior, mu, sigma, px, py, weight, windowRadius);
    }
}

namespace Hfpl.Losses.Modules
{
    /// <summary>
    /// The feature similarity loss as a module: holds the hyper-parameters and the loss weight; the math is
    /// <see cref="losses.feature_similarity_loss"/>. Forward returns <c>weight * L_FS</c>.
    /// </summary>
    public sealed class FeatureSimilarityLoss : nn.Module<Tensor, Tensor, Tensor>
    {
        /// <summary>Binomial or multinomial form.</summary>
        public Posterior Posterior { get; }
        /// <summary>Offset of the colour-edge weight.</summary>
        public double Mu { get; }
        /// <summary>Spatial kernel width in grid cells, or null for a flat kernel.</summary>
        public double? Sigma { get; }
        /// <summary>Norm of the feature distance.</summary>
        public double Px { get; }
        /// <summary>Exponent of the prediction distance.</summary>
        public double Py { get; }
        /// <summary>Factor applied to the loss.</summary>
        public double Weight { get; }
        /// <summary>Window radius in grid cells, or null for the exact loss.</summary>
        public int? WindowRadius { get; }

        /// <summary>Creates the loss from plain arguments; see <see cref="losses.FeatureSimilarityLoss"/>.</summary>
        public FeatureSimilarityLoss(Posterior posterior = Posterior.Binomial, double mu = 2.5, double? sigma = 5, double px = 1,
            double py = 2, double weight = 1.0, int? windowRadius = null) : base(TorchNative.Checked(nameof(FeatureSimilarityLoss)))
        {
            var options = new FeatureSimilarityOptions
            {
                Posterior = posterior, Mu = mu, Sigma = sigma, Px = px, Py = py, Weight = weight, WindowRadius = windowRadius,
            };
            OptionsGuard.ThrowIfInvalid(options.Validate(), nameof(options));
            (Posterior, Mu, Sigma, Px, Py, Weight, WindowRadius) = (posterior, mu, sigma, px, py, weight, windowRadius);
        }

        /// <summary>Creates the loss from options.</summary>
        public FeatureSimilarityLoss(FeatureSimilarityOptions options)
            : this(NotNull(options).Posterior, options.Mu, options.Sigma, options.Px, options.Py, options.Weight, options.WindowRadius) { }

        static FeatureSimilarityOptions NotNull(FeatureSimilarityOptions options) =>
            options ?? throw new ArgumentNullException(nameof(options));

        /// <summary>Computes <c>weight * L_FS</c>.</summary>
        /// <param name="features">Image features <c>(B, Cx, h, w)</c> in [0, 1].</param>
        /// <param name="predictions">Predictions <c>(B, Cy, h, w)</c>.</param>
        /// <returns>A 0-dim loss.</returns>
        public override Tensor forward(Tensor features, Tensor predictions) => forward(features, predictions, null);

        /// <summary>Computes <c>weight * L_FS</c> with cell weights (see the <c>mask</c> of <see cref="losses.feature_similarity_loss"/>).</summary>
        /// <param name="features">Image features <c>(B, Cx, h, w)</c> in [0, 1].</param>
        /// <param name="predictions">Predictions <c>(B, Cy, h, w)</c>.</param>
        /// <param name="mask">Cell weights <c>(B, 1, h, w)</c> in [0, 1], or null.</param>
        /// <returns>A 0-dim loss.</returns>
        public Tensor forward(Tensor features, Tensor predictions, Tensor? mask)
        {
            using var scope = torch.NewDisposeScope();
            var loss = losses.feature_similarity_loss(features, predictions, Posterior, Mu, Sigma, Px, Py, WindowRadius, mask);
            if (Weight == 1.0) return loss.MoveToOuterDisposeScope();
            using var weight = Weight.ToScalar(); // no implicit Scalars: see Scalars
            return (loss * weight).MoveToOuterDisposeScope();
        }
    }
}
