namespace Hfpl.Samples.Data;

/// <summary>
/// Reads a ground-truth mask file as class indices: grayscale and indexed PNGs give their raw values
/// (<see cref="IndexPngReader"/>); a colour-coded mask (RGB PNG, BMP, ...) is accepted only when a
/// palette is given, and is mapped back to indices through it.
/// </summary>
public static class MaskFile
{
    /// <summary>Reads the mask at <paramref name="path"/>.</summary>
    /// <param name="path">The mask file.</param>
    /// <param name="colorCoding">The palette for colour-coded masks; null accepts index PNGs only.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt, of an unsupported kind, or has colours outside the palette; the message names the file.</exception>
    public static IndexMask Read(string path, LabelPalette? colorCoding = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Mask file not found: {path}", path);
        var bytes = File.ReadAllBytes(path);
        if (IndexPngReader.IsPng(bytes))
        {
            var header = IndexPngReader.ReadHeader(bytes, path);
            if (header.ColorType is 0 or 3 || colorCoding is null) return IndexPngReader.Decode(bytes, path);
        }
        else if (colorCoding is null)
            throw new InvalidDataException($"{path}: a mask must be a grayscale or indexed PNG (not a PNG file).");
        return colorCoding.ToIndices(ImageFile.DecodeRgb(bytes, path), path);
    }
}
