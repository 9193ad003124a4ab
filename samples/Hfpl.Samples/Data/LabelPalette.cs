namespace Hfpl.Samples.Data;

/// <summary>
/// 256 RGB colours, one per mask value: used to write indexed PNGs, to colour masks for viewing, and to
/// turn colour-coded masks back into class indices.
/// </summary>
public sealed class LabelPalette
{
    private readonly byte[] _colors;
    private Dictionary<int, byte>? _inverse;

    /// <summary>A palette from 256 RGB triples (768 bytes; copied).</summary>
    public LabelPalette(ReadOnlySpan<byte> rgbTriples)
    {
        if (rgbTriples.Length != 768)
            throw new ArgumentException($"rgbTriples must hold 256 RGB colours (768 bytes), got {rgbTriples.Length}.", nameof(rgbTriples));
        _colors = rgbTriples.ToArray();
    }

    /// <summary>
    /// The PASCAL VOC colour map: colour i interleaves the bits of i into R, G, B, most significant bit
    /// first (1 = (128, 0, 0), 2 = (0, 128, 0), 15 person = (192, 128, 128), 255 void = (224, 224, 192)).
    /// From the VOC development kit's <c>VOClabelcolormap.m</c>.
    /// </summary>
    public static LabelPalette Voc { get; } = BuildVoc();

    /// <summary>
    /// MSRC-21's own colour coding (Shotton et al., the MSRC v2 ground-truth bitmaps), by class name: the VOC colour map at
    /// the original 23-class order (building 1, grass 2, tree 3, cow 4, horse 5, sheep 6, sky 7, mountain 8, aeroplane 9, water 10,
    /// face 11, car 12, bicycle 13, flower 14, sign 15, bird 16, book 17, chair 18, road 19, cat 20, dog 21, body 22, boat 23),
    /// void black.
    /// </summary>
    public static IReadOnlyDictionary<string, (byte R, byte G, byte B)> MsrcColours { get; } = new[]
    {
        "building", "grass", "tree", "cow", "horse", "sheep", "sky", "mountain", "aeroplane", "water", "face", "car", "bicycle",
        "flower", "sign", "bird", "book", "chair", "road", "cat", "dog", "body", "boat",
    }.Select((name, i) => (name, Voc[i + 1])).ToDictionary(p => p.name, p => p.Item2);

    /// <summary>
    /// The palette of a dataset: MSRC-21's own colours when its class names are MSRC-21 classes (a merged background is grey,
    /// void black, as in MSRC's bitmaps), else the VOC colour map.
    /// </summary>
    public static LabelPalette For(DatasetInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var objects = info.ClassNames.Skip(info.HasBackground ? 1 : 0).ToArray();
        if (objects.Length == 0 || !objects.All(MsrcColours.ContainsKey)) return Voc;
        var rgb = Voc.ToArray();
        for (var c = 0; c < info.NumClasses; c++)
        {
            var (r, g, b) = info.HasBackground && c == 0 ? ((byte)96, (byte)96, (byte)96) : MsrcColours[info.ClassNames[c]];
            (rgb[3 * c], rgb[3 * c + 1], rgb[3 * c + 2]) = (r, g, b);
        }
        rgb[3 * info.IgnoreIndex] = rgb[3 * info.IgnoreIndex + 1] = rgb[3 * info.IgnoreIndex + 2] = 0;
        return new LabelPalette(rgb);
    }

    private static LabelPalette BuildVoc()
    {
        var rgb = new byte[768];
        for (var i = 0; i < 256; i++)
        {
            int r = 0, g = 0, b = 0, c = i;
            for (var j = 7; j >= 0; j--)
            {
                r |= (c & 1) << j;
                g |= ((c >> 1) & 1) << j;
                b |= ((c >> 2) & 1) << j;
                c >>= 3;
            }
            rgb[3 * i] = (byte)r;
            rgb[3 * i + 1] = (byte)g;
            rgb[3 * i + 2] = (byte)b;
        }
        return new LabelPalette(rgb);
    }

    /// <summary>The colour of mask value <paramref name="index"/>.</summary>
    public (byte R, byte G, byte B) this[int index]
    {
        get
        {
            if ((uint)index > 255) throw new ArgumentOutOfRangeException(nameof(index), index, "index must be 0..255.");
            return (_colors[3 * index], _colors[3 * index + 1], _colors[3 * index + 2]);
        }
    }

    /// <summary>The 768 palette bytes (a copy), as stored in a PNG PLTE chunk.</summary>
    public byte[] ToArray() => (byte[])_colors.Clone();

    /// <summary>The mask in the palette's colours.</summary>
    public RgbImage Colorize(IndexMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var rgb = new byte[mask.Values.Length * 3];
        for (var i = 0; i < mask.Values.Length; i++)
        {
            var v = mask.Values[i];
            rgb[3 * i] = _colors[3 * v];
            rgb[3 * i + 1] = _colors[3 * v + 1];
            rgb[3 * i + 2] = _colors[3 * v + 2];
        }
        return new RgbImage(mask.Width, mask.Height, rgb);
    }

    /// <summary>
    /// Blends the mask's colours over <paramref name="image"/>: <c>(1 - alpha) * image + alpha * colour</c>;
    /// pixels whose value is in <paramref name="transparent"/> (by default void, 255) keep the image.
    /// </summary>
    public RgbImage Overlay(RgbImage image, IndexMask mask, double alpha = 0.5, IReadOnlyCollection<int>? transparent = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mask);
        if (image.Width != mask.Width || image.Height != mask.Height)
            throw new ArgumentException($"mask is {mask.Width}x{mask.Height}, image is {image.Width}x{image.Height}.", nameof(mask));
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in [0, 1].");
        var skip = new bool[256];
        foreach (var t in transparent ?? [DatasetInfo.DefaultIgnoreIndex])
            if ((uint)t <= 255) skip[t] = true;
        var outPixels = (byte[])image.Pixels.Clone();
        for (var i = 0; i < mask.Values.Length; i++)
        {
            var v = mask.Values[i];
            if (skip[v]) continue;
            for (var ch = 0; ch < 3; ch++)
                outPixels[3 * i + ch] = (byte)Math.Round((1 - alpha) * image.Pixels[3 * i + ch] + alpha * _colors[3 * v + ch]);
        }
        return new RgbImage(image.Width, image.Height, outPixels);
    }

    /// <summary>
    /// Maps a colour-coded mask back to indices: each pixel must have one of the palette's colours (the
    /// lowest index wins where colours repeat). Throws InvalidDataException naming <paramref name="name"/> otherwise.
    /// </summary>
    public IndexMask ToIndices(RgbImage colors, string name)
    {
        ArgumentNullException.ThrowIfNull(colors);
        _inverse ??= BuildInverse();
        var values = new byte[colors.Width * colors.Height];
        for (var i = 0; i < values.Length; i++)
        {
            var key = (colors.Pixels[3 * i] << 16) | (colors.Pixels[3 * i + 1] << 8) | colors.Pixels[3 * i + 2];
            if (!_inverse.TryGetValue(key, out var index))
                throw new InvalidDataException(
                    $"{name}: pixel ({i % colors.Width}, {i / colors.Width}) has colour ({colors.Pixels[3 * i]}, {colors.Pixels[3 * i + 1]}, {colors.Pixels[3 * i + 2]}), which is not in the label palette.");
            values[i] = index;
        }
        return new IndexMask(colors.Width, colors.Height, values);
    }

    private Dictionary<int, byte> BuildInverse()
    {
        var inverse = new Dictionary<int, byte>();
        for (var i = 0; i < 256; i++)
            inverse.TryAdd((_colors[3 * i] << 16) | (_colors[3 * i + 1] << 8) | _colors[3 * i + 2], (byte)i);
        return inverse;
    }
}
