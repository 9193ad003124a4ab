using Hfpl.Internal;
using Hfpl.Native;
using TorchSharp;
using static TorchSharp.torch;

// Importance sampling loss: Jonnarth, Zhang, Felsberg, "High-fidelity Pseudo-labels for Boosting
// Weakly-Supervised Segmentation", WACV 2024 (docs/method.md section 1).
namespace Hfpl.Losses
{
    /// <summary>
    /// Hfpl's loss functions in TorchSharp's style, and factories of the loss modules in <see cref="Hfpl.Losses.Modules"/>.
    /// </summary>
    public static partial class losses
    {
        /// <summary>
        /// The importance sampling loss: mean binary cross-entropy with logits over all B*K*S samples, the image
        /// label broadcast over S (equal to PyTorch's multilabel_soft_margin_loss with target (B, K, 1)).
        /// Stable for logits of any magnitude.
        /// </summary>
        /// <param name="samples">Sampled logits <c>(B, K, S)</c> from <see cref="hfpl.importance_sampling_pool"/>.</param>
        /// <param name="labels">Image-level labels <c>(B, K)</c> in {0, 1}.</param>
        /// <returns>A scalar, same dtype and device as <paramref name="samples"/>.</returns>
        public static Tensor importance_sampling_loss(Tensor samples, Tensor labels)
        {
            Check.Map(samples, 3, nameof(samples), "(B, K, S)");
            Check.Labels(labels, samples.shape[0], samples.shape[1], nameof(labels));
            using var scope = torch.NewDisposeScope();
            var target = labels.to(samples.dtype, samples.device).unsqueeze(-1).expand_as(samples);
            return nn.functional.binary_cross_entropy_with_logits(samples, target).MoveToOuterDisposeScope();
        }

        /// <summary>
        /// The classification loss for users who keep global average pooling:
        /// <c>(1 - lambda) * L_GAP + lambda * L_IS</c>, with <c>L_GAP</c> the mean BCE with logits of the pooled scores.
        /// </summary>
        /// <param name="pooledLogits">GAP (or other pooled) class logits <c>(B, K)</c>.</param>
        /// <param name="samples">Sampled logits <c>(B, K, S)</c>.</param>
        /// <param name="labels">Image-level labels <c>(B, K)</c> in {0, 1}.</param>
        /// <param name="lambda">Weight of the importance sampling term in [0, 1]; 0.2 in the paper.</param>
        /// <returns>A scalar, same dtype and device as <paramref name="samples"/>.</returns>
        public static Tensor mixed_classification_loss(Tensor pooledLogits, Tensor samples, Tensor labels, double lambda = 0.2)
        {
            Check.Map(pooledLogits, 2, nameof(pooledLogits), "(B, K)");
            Check.InRange(lambda, 0, 1, nameof(lambda));
            using var scope = torch.NewDisposeScope();
            var sampled = importance_sampling_loss(samples, labels);
            if (pooledLogits.shape[0] != samples.shape[0] || pooledLogits.shape[1] != samples.shape[1])
                throw new ArgumentException(
                    $"pooledLogits must have shape (B, K) = [{samples.shape[0]}, {samples.shape[1]}], got {Check.Shape(pooledLogits)}.",
                    nameof(pooledLogits));
            var pooled = nn.functional.binary_cross_entropy_with_logits(pooledLogits, labels.to(pooledLogits.dtype, pooledLogits.device));
            using var pooledWeight = (1 - lambda).ToScalar(); // no implicit Scalars: see Scalars
            using var sampledWeight = lambda.ToScalar();
            return pooled.mul(pooledWeight).add_(sampled, sampledWeight).MoveToOuterDisposeScope();
        }

        /// <summary>Creates an <see cref="Modules.ImportanceSamplingLoss"/>.</summary>
        /// <param name="lambda">Weight of the importance sampling term; 1 gives the plain importance sampling loss.</param>
        public static Modules.ImportanceSamplingLoss ImportanceSamplingLoss(double lambda = 0.2) => new(lambda);
    }
}

namespace Hfpl.Losses.Modules
{
    /// <summary>
    /// The mixed classification loss <c>(1 - lambda) * L_GAP + lambda * L_IS</c> as a module; lambda = 1 is the
    /// plain importance sampling loss. The math is <see cref="losses.mixed_classification_loss"/>.
    /// </summary>
    public sealed class ImportanceSamplingLoss : nn.Module<Tensor, Tensor, Tensor, Tensor>
    {
        /// <summary>Weight of the importance sampling term.</summary>
        public double Lambda { get; }

        /// <summary>Creates the loss.</summary>
        /// <param name="lambda">Weight of the importance sampling term in [0, 1]; 0.2 in the paper.</param>
        public ImportanceSamplingLoss(double lambda = 0.2) : base(TorchNative.Checked(nameof(ImportanceSamplingLoss)))
        {
            Check.InRange(lambda, 0, 1, nameof(lambda));
            Lambda = lambda;
        }

        /// <summary>Computes the loss.</summary>
        /// <param name="pooledLogits">GAP class logits <c>(B, K)</c>.</param>
        /// <param name="samples">Sampled logits <c>(B, K, S)</c>.</param>
        /// <param name="labels">Image-level labels <c>(B, K)</c>.</param>
        /// <returns>A scalar.</returns>
        public override Tensor forward(Tensor pooledLogits, Tensor samples, Tensor labels) =>
            losses.mixed_classification_loss(pooledLogits, samples, labels, Lambda);
    }
}
