using System.Buffers.Binary;
using System.IO.Compression;

namespace Hfpl.Samples.Data;

/// <summary>
/// Writes 8-bit PNGs in managed code: RGB images, grayscale masks (values stored verbatim, the MSRC
/// layout) and indexed masks with a colour palette (the VOC <c>SegmentationClass</c> layout, which shows
/// in colour in any viewer and still stores the class indices).
/// </summary>
/// <remarks>
/// Managed rather than SkiaSharp because Skia's PNG encoder cannot write a palette image. Rows are
/// filtered with the usual minimum-sum-of-absolute-differences heuristic and deflated with ZLibStream.
/// </remarks>
public static class PngWriter
{
    /// <summary>Writes an RGB (colour type 2) PNG.</summary>
    public static void WriteRgb(string path, RgbImage image) => WriteFile(path, EncodeRgb(image));

    /// <summary>Writes a grayscale (colour type 0) PNG whose sample values are the mask values.</summary>
    public static void WriteGray(string path, IndexMask mask) => WriteFile(path, EncodeGray(mask));

    /// <summary>Writes an indexed (colour type 3) PNG: the mask values are palette indices, shown in the
    /// colours of <paramref name="palette"/> (the VOC colour map when null).</summary>
    public static void WriteIndexed(string path, IndexMask mask, LabelPalette? palette = null) =>
        WriteFile(path, EncodeIndexed(mask, palette));

    /// <summary>PNG bytes of an RGB image.</summary>
    public static byte[] EncodeRgb(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Encode(image.Pixels, image.Width, image.Height, PngFormat.Truecolor, null, null);
    }

    /// <summary>PNG bytes of a grayscale mask.</summary>
    public static byte[] EncodeGray(IndexMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return Encode(mask.Values, mask.Width, mask.Height, PngFormat.Grayscale, null, null);
    }

    /// <summary>PNG bytes of an indexed mask with a 256-entry palette.</summary>
    public static byte[] EncodeIndexed(IndexMask mask, LabelPalette? palette = null)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return Encode(mask.Values, mask.Width, mask.Height, PngFormat.Indexed, (palette ?? LabelPalette.Voc).ToArray(), null);
    }

    private static void WriteFile(string path, byte[] png)
    {
        ArgumentNullException.ThrowIfNull(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, png);
    }

    /// <summary>
    /// Encodes 8-bit samples. <paramref name="filter"/> forces one filter type (0-4) for every row (tests
    /// use it to cover each filter); null picks per row.
    /// </summary>
    internal static byte[] Encode(byte[] samples, int width, int height, int colorType, byte[]? palette, int? filter)
    {
        if (filter is < 0 or > 4) throw new ArgumentOutOfRangeException(nameof(filter));
        var channels = colorType == PngFormat.Truecolor ? 3 : 1;
        var stride = width * channels;

        using var output = new MemoryStream();
        output.Write(PngFormat.Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr[4..], (uint)height);
        ihdr[8] = 8;                 // bit depth
        ihdr[9] = (byte)colorType;
        // compression 0, filter method 0, no interlace
        PngFormat.WriteChunk(output, "IHDR", ihdr);
        if (palette is not null) PngFormat.WriteChunk(output, "PLTE", palette);

        using (var idat = new MemoryStream())
        {
            using (var z = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true))
            {
                var prev = new byte[stride];
                var candidates = new byte[5][];
                for (var f = 0; f < 5; f++) candidates[f] = new byte[stride];
                for (var y = 0; y < height; y++)
                {
                    var row = samples.AsSpan(y * stride, stride);
                    var best = filter ?? -1;
                    if (filter is { } forced) FilterRow(forced, row, prev, channels, candidates[forced]);
                    else
                    {
                        var bestCost = long.MaxValue;
                        for (var f = 0; f < 5; f++)
                        {
                            FilterRow(f, row, prev, channels, candidates[f]);
                            long cost = 0;
                            foreach (var v in candidates[f]) cost += (sbyte)v < 0 ? -(sbyte)v : v;
                            if (cost < bestCost) { bestCost = cost; best = f; }
                        }
                    }
                    z.WriteByte((byte)best);
                    z.Write(candidates[best]);
                    row.CopyTo(prev);
                }
            }
            PngFormat.WriteChunk(output, "IDAT", idat.ToArray());
        }
        PngFormat.WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void FilterRow(int filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prev, int bpp, Span<byte> dst)
    {
        for (var i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
            var predictor = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) >> 1,
                _ => PngFormat.Paeth(a, b, c),
            };
            dst[i] = (byte)(row[i] - predictor);
        }
    }
}
