using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Hfpl.Samples.Training;

/// <summary>
/// Training-time augmentation of one image: random rescale, random square crop, horizontal flip and colour jitter
/// (brightness, contrast, saturation). Driven by a seeded <see cref="Random"/>.
/// </summary>
/// <remarks>
/// The rescale never leaves the image smaller than the crop, so no crop contains padding. Padding is a flat region
/// with a strong edge to the image: the feature similarity loss rewards predictions that change across that edge,
/// which teaches the network to fade its CAMs towards the crop border (seen on MSRC-21, whose 320x213 photographs
/// were padded in more than half of the 224-pixel crops, as a centre bias of CAM++ and a 14-point mIoU loss).
/// </remarks>
public static class Augmentation
{
    /// <summary>Augments an image.</summary>
    /// <param name="image">RGB in [0, 1] <c>(3, H, W)</c>.</param>
    /// <param name="options">Crop size, scale range, jitter.</param>
    /// <param name="random">The source of every random choice.</param>
    /// <returns><c>(3, crop, crop)</c> in [0, 1].</returns>
    public static Tensor Apply(Tensor image, TrainingOptions options, Random random)
    {
        using var scope = NewDisposeScope();
        var (h, w) = (image.shape[1], image.shape[2]);
        var scale = options.ScaleRange.Min + random.NextDouble() * (options.ScaleRange.Max - options.ScaleRange.Min);
        scale = Math.Max(scale, Math.Max((double)options.CropSize / h, (double)options.CropSize / w));
        var (sh, sw) = (Math.Max(1, (long)Math.Round(h * scale)), Math.Max(1, (long)Math.Round(w * scale)));
        var x = functional.interpolate(image.unsqueeze(0), [sh, sw], mode: InterpolationMode.Bilinear, align_corners: false)[0];

        var crop = options.CropSize;
        var canvas = zeros([3, crop, crop], image.dtype, image.device);
        // Place a crop-sized window at a random offset; the image may be larger (crop it) or smaller (pad it).
        var (top, left) = (random.Next((int)Math.Abs(sh - crop) + 1), random.Next((int)Math.Abs(sw - crop) + 1));
        var (ch, cw) = (Math.Min(crop, sh), Math.Min(crop, sw));
        var source = x.narrow(1, sh > crop ? top : 0, ch).narrow(2, sw > crop ? left : 0, cw);
        canvas.narrow(1, sh > crop ? 0 : top, ch).narrow(2, sw > crop ? 0 : left, cw).copy_(source);

        if (random.NextDouble() < 0.5) canvas = canvas.flip(2);
        if (options.ColourJitter > 0) canvas = Jitter(canvas, options.ColourJitter, random);
        return canvas.clamp_(0, 1).MoveToOuterDisposeScope();
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
