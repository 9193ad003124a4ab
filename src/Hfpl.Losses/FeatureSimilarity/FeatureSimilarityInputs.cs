using Hfpl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Losses;

public static partial class losses
{
    /// <summary>ImageNet channel means (RGB), the usual input normalisation.</summary>
    public static readonly double[] ImageNetMean = [0.485, 0.456, 0.406];

    /// <summary>ImageNet channel standard deviations (RGB).</summary>
    public static readonly double[] ImageNetStd = [0.229, 0.224, 0.225];

    /// <summary>
    /// The feature similarity loss's image features: an RGB image in [0, 1] resized to the CAM grid (bilinearly with
    /// align_corners = true by default, as docs/method.md specifies, or by area averaging) and clamped to [0, 1]. No gradient.
    /// </summary>
    /// <param name="images">Un-normalised images <c>(B, 3, H, W)</c> in [0, 1].</param>
    /// <param name="height">h, the CAM grid height.</param>
    /// <param name="width">w, the CAM grid width.</param>
    /// <param name="resize">Bilinear (the paper) or area averaging (see <see cref="FeatureResize"/>).</param>
    /// <returns><c>(B, 3, h, w)</c>, the images' dtype and device.</returns>
    public static Tensor feature_similarity_features(Tensor images, long height, long width, FeatureResize resize = FeatureResize.Bilinear)
    {
        Check.Map(images, 4, nameof(images), "(B, 3, H, W)");
        Check.Positive(height, nameof(height));
        Check.Positive(width, nameof(width));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var resized = resize switch
        {
            FeatureResize.Bilinear => nn.functional.interpolate(images.detach(), [height, width], mode: InterpolationMode.Bilinear, align_corners: true),
            FeatureResize.Area => nn.functional.adaptive_avg_pool2d(images.detach(), [height, width]),
            _ => throw new ArgumentOutOfRangeException(nameof(resize), resize, "resize must be Bilinear or Area."),
        };
        return resized.clamp_(Scalars.Zero, Scalars.One).MoveToOuterDisposeScope(); // no implicit Scalars: see Scalars
    }

    /// <summary>
    /// Both inputs of <see cref="feature_similarity_loss"/> from what a training step has at hand: a normalised image
    /// batch and the CAM logits. Features: the images de-normalised (<c>x * std + mean</c>), resized to the CAM grid
    /// and clamped. Predictions: binomial <c>cat(1 - max fg, maxnorm(z) * y)</c>; multinomial <c>softmax(z)</c> over all
    /// channels (not label-masked).
    /// </summary>
    /// <param name="images">Normalised images <c>(B, 3, H, W)</c>.</param>
    /// <param name="logits">CAM logits <c>(B, C, h, w)</c>; channel 0 is background when <paramref name="hasBackground"/>.</param>
    /// <param name="labels">Foreground image labels <c>(B, K)</c> in {0, 1}; K = C, or C - 1 with a background channel.</param>
    /// <param name="posterior">Binomial (default) or multinomial.</param>
    /// <param name="mean">Per-channel mean used to normalise the images; ImageNet's by default.</param>
    /// <param name="std">Per-channel standard deviation; ImageNet's by default.</param>
    /// <param name="hasBackground">True when the logits carry a background channel 0 (binomial: replaced by <c>1 - max fg</c>).</param>
    /// <param name="gridFactor">Run the loss on a grid this many times finer than the logits (<see cref="upsample_cam_grid"/>):
    /// 2 gives a stride-16 network the paper's 8-pixel cells. 1 (default) is the logits' own grid.</param>
    /// <param name="resize">How the images are brought to the grid (<see cref="FeatureResize"/>).</param>
    /// <returns>Features <c>(B, 3, f h, f w)</c> and predictions <c>(B, K + 1, f h, f w)</c> (multinomial <c>(B, C, f h, f w)</c>).</returns>
    public static (Tensor Features, Tensor Predictions) feature_similarity_inputs(Tensor images, Tensor logits, Tensor labels,
        Posterior posterior = Posterior.Binomial, double[]? mean = null, double[]? std = null, bool hasBackground = false,
        int gridFactor = 1, FeatureResize resize = FeatureResize.Bilinear)
    {
        Check.Map(images, 4, nameof(images), "(B, 3, H, W)");
        Check.Map(logits, 4, nameof(logits), "(B, C, h, w)");
        mean ??= ImageNetMean;
        std ??= ImageNetStd;
        if (mean.Length != images.shape[1]) throw new ArgumentException($"mean must have one value per image channel ({images.shape[1]}), got {mean.Length}.", nameof(mean));
        if (std.Length != images.shape[1]) throw new ArgumentException($"std must have one value per image channel ({images.shape[1]}), got {std.Length}.", nameof(std));
        if (images.shape[0] != logits.shape[0])
            throw new ArgumentException($"logits must have the batch size of images ({images.shape[0]}), got {Check.Shape(logits)}.", nameof(logits));

        using var scope = torch.NewDisposeScope();
        logits = upsample_cam_grid(logits, gridFactor);
        var shape = new long[] { 1, mean.Length, 1, 1 };
        var meanTensor = torch.tensor(mean, images.dtype, images.device).view(shape);
        var stdTensor = torch.tensor(std, images.dtype, images.device).view(shape);
        var features = feature_similarity_features(images.detach() * stdTensor + meanTensor, logits.shape[2], logits.shape[3], resize);
        Tensor predictions;
        if (posterior == Posterior.Binomial)
        {
            var foreground = hasBackground ? logits[.., 1..] : logits;
            predictions = hfpl.binomial_predictions(foreground, labels);
        }
        else
        {
            Check.Labels(labels, logits.shape[0], logits.shape[1] - (hasBackground ? 1 : 0), nameof(labels));
            predictions = torch.softmax(logits, 1);
        }
        return (features.MoveToOuterDisposeScope(), predictions.MoveToOuterDisposeScope());
    }
}
