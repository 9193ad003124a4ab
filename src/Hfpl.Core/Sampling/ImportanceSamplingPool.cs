using Hfpl.Internal;
using Hfpl.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl
{
    public static partial class hfpl
    {
        /// <summary>Creates an <see cref="Modules.ImportanceSamplingPool"/>; see <see cref="importance_sampling_pool"/>.</summary>
        /// <param name="samples">S, draws per (image, foreground class). Default 10.</param>
        /// <param name="posterior">Binomial (default) or multinomial.</param>
        /// <param name="hasBackground">True when channel 0 of the logits is background.</param>
        /// <param name="epsilon">Probability floor, default 1e-5.</param>
        /// <param name="seed">Seed of the module's own generator, or null for TorchSharp's default generator.</param>
        public static Modules.ImportanceSamplingPool ImportanceSamplingPool(long samples = 10, Posterior posterior = Posterior.Binomial,
            bool hasBackground = false, double epsilon = 1e-5, long? seed = null) =>
            new(samples, posterior, hasBackground, epsilon, seed);
    }
}

namespace Hfpl.Modules
{
    /// <summary>
    /// Importance sampling pooling as a module: CAM logits <c>(B, C, h, w)</c> to sampled logits <c>(B, K, S)</c>.
    /// Holds the hyper-parameters and, when seeded, its own generator; the math is <see cref="hfpl.importance_sampling_pool"/>.
    /// Samples in training and evaluation alike: at evaluation time read the CAMs directly instead.
    /// </summary>
    public sealed class ImportanceSamplingPool : nn.Module<Tensor, Tensor>
    {
        /// <summary>S, draws per (image, foreground class).</summary>
        public long Samples { get; }
        /// <summary>The posterior that defines the sampling distribution.</summary>
        public Posterior Posterior { get; }
        /// <summary>Whether channel 0 of the logits is background.</summary>
        public bool HasBackground { get; }
        /// <summary>Probability floor of the sampling distribution.</summary>
        public double Epsilon { get; }
        /// <summary>The module's generator when a seed was given, else null.</summary>
        public Generator? Generator { get; }

        /// <summary>Creates the pool from plain arguments; see <see cref="hfpl.ImportanceSamplingPool"/>.</summary>
        public ImportanceSamplingPool(long samples = 10, Posterior posterior = Posterior.Binomial, bool hasBackground = false,
            double epsilon = 1e-5, long? seed = null) : base(TorchNative.Checked(nameof(ImportanceSamplingPool)))
        {
            Check.Positive(samples, nameof(samples));
            Check.Positive(epsilon, nameof(epsilon));
            if (!Enum.IsDefined(posterior)) throw new ArgumentOutOfRangeException(nameof(posterior), posterior, "Unknown posterior.");
            (Samples, Posterior, HasBackground, Epsilon) = (samples, posterior, hasBackground, epsilon);
            if (seed is { } s) Generator = new Generator(unchecked((ulong)s), CPU);
        }

        /// <summary>Creates the pool from validated options.</summary>
        public ImportanceSamplingPool(ImportanceSamplingOptions options)
            : this(Validated(options).Samples, options.Posterior, options.HasBackground, options.Epsilon, options.Seed) { }

        static ImportanceSamplingOptions Validated(ImportanceSamplingOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            OptionsGuard.ThrowIfInvalid(options.Validate(), nameof(options));
            return options;
        }

        /// <summary>Samples logits.</summary>
        /// <param name="logits">CAM logits <c>(B, C, h, w)</c>.</param>
        /// <returns>Sampled logits <c>(B, K, S)</c>, K = C, or C - 1 with a background channel.</returns>
        public override Tensor forward(Tensor logits) =>
            hfpl.importance_sampling_pool(logits, Samples, Posterior, HasBackground, Epsilon, Generator);

        /// <summary>Samples logits, never from cells whose <paramref name="mask"/> is 0 (see <see cref="hfpl.importance_sampling_pmf"/>).</summary>
        /// <param name="logits">CAM logits <c>(B, C, h, w)</c>.</param>
        /// <param name="mask">Cell weights <c>(B, 1, h, w)</c> in [0, 1], or null.</param>
        /// <returns>Sampled logits <c>(B, K, S)</c>.</returns>
        public Tensor forward(Tensor logits, Tensor? mask) =>
            hfpl.importance_sampling_pool(logits, Samples, Posterior, HasBackground, Epsilon, Generator, mask);

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (disposing) Generator?.Dispose();
            base.Dispose(disposing);
        }
    }
}
