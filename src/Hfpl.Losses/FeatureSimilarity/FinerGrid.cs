using Hfpl.Internal;
using TorchSharp;
using static TorchSharp.torch;

// The feature similarity loss on a grid finer than the CAM logits: an extension of this library, not of the paper.
// The paper's grid has 8-pixel cells (448 crops at output stride 8); a stride-16 network gets the same cells by
// upsampling its logits by 2 before the loss, for the cost of the loss on the larger grid rather than of a denser backbone.
namespace Hfpl.Losses
{
    public static partial class losses
    {
        /// <summary>
        /// CAM logits upsampled by an integer factor for the feature similarity loss: bilinear, align_corners = false, so each
        /// cell's centre is the centre of its block of input pixels, where area-averaged features (<see cref="FeatureResize.Area"/>)
        /// have it; bilinear features (align_corners = true) sit up to half a cell off at the borders. Build the predictions
        /// from the result (<c>hfpl.binomial_predictions(upsampled, labels)</c>) and the features at its grid; the
        /// gradient reaches the original logits through the interpolation.
        /// </summary>
        /// <param name="logits">CAM logits <c>(B, C, h, w)</c>.</param>
        /// <param name="factor">Integer factor f &gt;= 1; 1 returns the logits unchanged.</param>
        /// <returns><c>(B, C, f h, f w)</c>, the logits' dtype and device.</returns>
        public static Tensor upsample_cam_grid(Tensor logits, int factor)
        {
            Check.Map(logits, 4, nameof(logits), "(B, C, h, w)");
            if (factor < 1 || factor > 16) throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be a whole number in 1..16.");
            if (factor == 1) return logits.alias();
            return nn.functional.interpolate(logits, [logits.shape[2] * factor, logits.shape[3] * factor],
                mode: InterpolationMode.Bilinear, align_corners: false);
        }

        /// <summary>
        /// σ in grid cells for a σ given in input pixels: <c>sigmaPixels * factor / outputStride</c>. The loss's σ is in cells
        /// of the grid it runs on, so the paper's 5 cells of 8 pixels (40 px) are 5 cells at output stride 8, 2.5 at stride 16,
        /// and 5 again at stride 16 with <paramref name="factor"/> 2 (<see cref="upsample_cam_grid"/>).
        /// </summary>
        /// <param name="sigmaPixels">Kernel width in input pixels (the paper: 40).</param>
        /// <param name="outputStride">Input pixels per CAM-logit cell (the network's output stride).</param>
        /// <param name="factor">The upsampling factor of the grid the loss runs on (1: the logits' own grid).</param>
        public static double sigma_in_cells(double sigmaPixels, double outputStride, int factor = 1)
        {
            if (!(sigmaPixels > 0) || double.IsInfinity(sigmaPixels)) throw new ArgumentOutOfRangeException(nameof(sigmaPixels), sigmaPixels, "sigmaPixels must be positive and finite.");
            if (!(outputStride > 0) || double.IsInfinity(outputStride)) throw new ArgumentOutOfRangeException(nameof(outputStride), outputStride, "outputStride must be positive and finite.");
            if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be at least 1.");
            return sigmaPixels * factor / outputStride;
        }
    }
}
