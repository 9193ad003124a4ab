using Hfpl.Samples.Data;

namespace Hfpl.Samples.Inference;

/// <summary>
/// One image's pseudo-labels at many background thresholds from one pass over its CAMs: the strongest labelled class of each
/// pixel is found once, then each threshold costs one comparison per pixel. Decodes exactly as <c>hfpl.pseudo_labels</c> does
/// with a threshold (the first strongest labelled class, compared with the threshold in float32; background where no class is
/// above it), for data with a background class, where label k decodes to class k + 1.
/// </summary>
internal sealed class ThresholdDecoder
{
    readonly int width, height;
    readonly float[] strongest;
    readonly byte[] classes;

    /// <param name="cams">Normalised CAMs <c>(K, H, W)</c>, flat in row-major order.</param>
    /// <param name="sample">The image: its size and image-level labels.</param>
    public ThresholdDecoder(float[] cams, SegmentationSample sample)
    {
        (width, height) = (sample.Width, sample.Height);
        var pixels = width * height;
        strongest = new float[pixels];
        classes = new byte[pixels];
        Array.Fill(strongest, float.NegativeInfinity);
        for (var k = 0; k < sample.Labels.Count; k++)
        {
            if (sample.Labels[k] == 0) continue;
            var channel = cams.AsSpan(k * pixels, pixels);
            for (var p = 0; p < pixels; p++)
                if (channel[p] > strongest[p] || float.IsNaN(channel[p]) && !float.IsNaN(strongest[p]))
                    (strongest[p], classes[p]) = (channel[p], (byte)(k + 1));
        }
    }

    /// <summary>The pseudo-label at background threshold <paramref name="threshold"/>.</summary>
    public IndexMask At(double threshold)
    {
        var cut = (float)threshold;
        var values = new byte[strongest.Length];
        for (var p = 0; p < values.Length; p++)
            values[p] = strongest[p] > cut ? classes[p] : (byte)0;
        return new IndexMask(width, height, values);
    }
}
