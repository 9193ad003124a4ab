using TorchSharp;
using Hfpl.Samples.Baselines;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Hfpl.Samples.Inference;

/// <summary>
/// Multi-scale, flipped CAM inference as WSSS evaluates pseudo-labels: the model's class scores at each scale
/// (0.5, 1, 1.5, 2 by default, of the image's own size or of a base size given by its long side) and its horizontal mirror, ReLU, upsampled to the image, summed, restricted to the
/// image's labels, then max-normalised per class to [0, 1].
/// </summary>
public static class CamInference
{
    /// <summary>The usual inference scales.</summary>
    public static readonly double[] DefaultScales = [0.5, 1.0, 1.5, 2.0];

    /// <summary>Normalised CAMs of one image.</summary>
    /// <param name="model">A trained baseline (put in evaluation mode here).</param>
    /// <param name="image">RGB in [0, 1] <c>(3, H, W)</c>.</param>
    /// <param name="labels">Image labels <c>(K)</c> in {0, 1}; absent classes get zero maps.</param>
    /// <param name="scales">Input scales; null (or empty) for <see cref="DefaultScales"/>.</param>
    /// <param name="flip">Also run the mirrored image.</param>
    /// <param name="longSide">The base size: scale 1 resizes the image so that its long side has this many pixels (the size
    /// training showed objects at, <see cref="Training.TrainingOptions.InferenceLongSide"/>); null for the image's own size.</param>
    /// <returns><c>(K, H, W)</c> in [0, 1], float32, on the image's device.</returns>
    public static Tensor NormalisedCams(WsssBaseline model, Tensor image, Tensor labels, double[]? scales = null, bool flip = true, int? longSide = null)
    {
        if (longSide is <= 0) throw new ArgumentOutOfRangeException(nameof(longSide), longSide, "longSide must be positive.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        var (h, w) = (image.shape[1], image.shape[2]);
        var batch = image.unsqueeze(0);
        var baseScale = longSide is { } side ? (double)side / Math.Max(h, w) : 1.0;
        Tensor? sum = null;
        using var one = 1.ToScalar(); // explicit: an implicit Scalar (Tensor.add's own alpha) may be freed while libtorch reads it
        foreach (var relative in scales is { Length: > 0 } ? scales : DefaultScales)
        {
            var scale = relative * baseScale;
            var size = new[] { Math.Max(8, (long)Math.Round(h * scale)), Math.Max(8, (long)Math.Round(w * scale)) };
            var input = size[0] == h && size[1] == w ? batch : functional.interpolate(batch, size, mode: InterpolationMode.Bilinear, align_corners: false);
            var views = flip ? cat([input, input.flip(3)], 0) : input;
            var cams = functional.relu(model.InferenceCams(views));
            var upsampled = functional.interpolate(cams, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
            var combined = flip ? upsampled[0].add(upsampled[1].flip(2), one) : upsampled[0];
            sum = sum is null ? combined : sum.add(combined, one);
        }
        var masked = hfpl.mask_labels(sum!.unsqueeze(0), labels.to(sum.dtype).unsqueeze(0));
        return hfpl.max_norm(masked)[0].MoveToOuterDisposeScope();
    }
}
