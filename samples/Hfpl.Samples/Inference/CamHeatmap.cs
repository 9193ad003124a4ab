using Hfpl.Samples.Data;

namespace Hfpl.Samples.Inference;

/// <summary>Paints a CAM over its image with a blue-to-red colour ramp, for looking at where a class fires.</summary>
public static class CamHeatmap
{
    /// <summary>Blends <c>(1 - alpha) image + alpha ramp(score)</c>.</summary>
    /// <param name="image">The photograph.</param>
    /// <param name="scores">Scores in [0, 1], row-major H x W.</param>
    /// <param name="alpha">Weight of the colour ramp.</param>
    public static RgbImage Overlay(RgbImage image, ReadOnlySpan<float> scores, double alpha = 0.5)
    {
        if (scores.Length != image.Width * image.Height)
            throw new ArgumentException($"scores must have {image.Width * image.Height} values (H x W), got {scores.Length}.", nameof(scores));
        var result = new RgbImage(image.Width, image.Height);
        for (var i = 0; i < scores.Length; i++)
        {
            var (r, g, b) = Ramp(Math.Clamp(scores[i], 0f, 1f));
            var o = 3 * i;
            result.Pixels[o] = Blend(image.Pixels[o], r, alpha);
            result.Pixels[o + 1] = Blend(image.Pixels[o + 1], g, alpha);
            result.Pixels[o + 2] = Blend(image.Pixels[o + 2], b, alpha);
        }
        return result;
    }

    static byte Blend(byte under, double over, double alpha) => (byte)Math.Round((1 - alpha) * under + alpha * over);

    /// <summary>A jet-like ramp: blue (0), cyan, yellow, red (1).</summary>
    public static (double R, double G, double B) Ramp(double t) =>
        (255 * Math.Clamp(1.5 - Math.Abs(4 * t - 3), 0, 1), 255 * Math.Clamp(1.5 - Math.Abs(4 * t - 2), 0, 1), 255 * Math.Clamp(1.5 - Math.Abs(4 * t - 1), 0, 1));
}
