using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Hfpl.Samples.Training;

/// <summary>
/// Training-time augmentation of one image: random rescale (relative to the image, or to a long side in pixels),
/// random square crop (zero padding where the rescaled
/// image is smaller than the crop), horizontal flip and colour jitter (brightness, contrast, saturation). Driven
/// by a seeded <see cref="Random"/>. Returns which pixels are image and which are padding.
/// </summary>
/// <remarks>
/// Padding keeps whole images in view, which matters for image-level labels: a crop that cuts an object out still
/// carries its label. Padding is also a flat region with a strong edge to the image, and the feature similarity loss
/// rewards predictions that change across that edge, which teaches the network to fade its CAMs towards the crop
/// border. So the add-on gets the valid-pixel mask and leaves padded cells out of every pair (its <c>mask</c>).
/// </remarks>
public static class Augmentation
{
    /// <summary>Augments an image.</summary>
    /// <param name="image">RGB in [0, 1] <c>(3, H, W)</c>.</param>
    /// <param name="options">Crop size, scale range, jitter.</param>
    /// <param name="random">The source of every random choice.</param>
    /// <returns>The crop <c>(3, crop, crop)</c> in [0, 1], and <c>(1, crop, crop)</c> with 1 on image pixels and 0 on padding.</returns>
    public static (Tensor Image, Tensor Valid) Apply(Tensor image, TrainingOptions options, Random random)
    {
        using var scope = NewDisposeScope();
        var (h, w) = (image.shape[1], image.shape[2]);
        var scale = options.LongSideRange is { } range
            ? (range.Min + random.NextDouble() * (range.Max - range.Min)) / Math.Max(h, w)
            : options.ScaleRange.Min + random.NextDouble() * (options.ScaleRange.Max - options.ScaleRange.Min);
        var (sh, sw) = (Math.Max(1, (long)Math.Round(h * scale)), Math.Max(1, (long)Math.Round(w * scale)));
        var x = functional.interpolate(image.unsqueeze(0), [sh, sw], mode: InterpolationMode.Bilinear, align_corners: false)[0];

        var crop = options.CropSize;
        var canvas = zeros([3, crop, crop], image.dtype, image.device);
        // Place a crop-sized window at a random offset; the image may be larger (crop it) or smaller (pad it).
        var (top, left) = (random.Next((int)Math.Abs(sh - crop) + 1), random.Next((int)Math.Abs(sw - crop) + 1));
        var (ch, cw) = (Math.Min(crop, sh), Math.Min(crop, sw));
        var source = x.narrow(1, sh > crop ? top : 0, ch).narrow(2, sw > crop ? left : 0, cw);
        canvas.narrow(1, sh > crop ? 0 : top, ch).narrow(2, sw > crop ? 0 : left, cw).copy_(source);
        var valid = zeros([1, crop, crop], image.dtype, image.device);
        valid.narrow(1, sh > crop ? 0 : top, ch).narrow(2, sw > crop ? 0 : left, cw).fill_(1);

        if (random.NextDouble() < 0.5)
        {
            canvas = canvas.flip(2);
            valid = valid.flip(2);
        }
        if (options.ColourJitter > 0) canvas = Jitter(canvas, options.ColourJitter, random);
        return (canvas.clamp_(0, 1).MoveToOuterDisposeScope(), valid.MoveToOuterDisposeScope());
    }

    static Tensor Jitter(Tensor image, double strength, Random random)
    {
        double Factor() => 1 + strength * (2 * random.NextDouble() - 1);
        var brightness = image * Factor();
        var mean = brightness.mean();
        var contrast = (brightness - mean) * Factor() + mean;
        var grey = (0.299 * contrast[0] + 0.587 * contrast[1] + 0.114 * contrast[2]).unsqueeze(0);
        return (contrast - grey) * Factor() + grey;
    }
}
