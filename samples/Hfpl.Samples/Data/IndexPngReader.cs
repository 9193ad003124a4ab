using System.Buffers.Binary;
using System.IO.Compression;

namespace Hfpl.Samples.Data;

/// <summary>
/// Reads the raw sample values of grayscale and indexed (palette) PNGs: class index masks.
/// </summary>
/// <remarks>
/// SkiaSharp (like most image libraries) expands a palette PNG to the palette's colours, losing the class
/// indices that VOC's <c>SegmentationClass</c> masks store; this decoder returns the indices themselves.
/// Supported: colour types 0 (grayscale) and 3 (indexed), bit depths 1, 2, 4 and 8, not interlaced,
/// filter types 0-4. Chunk CRCs are checked; ancillary chunks (tRNS, gAMA, text, ...) are ignored, and
/// so is the palette (indices are read, not colours). Sub-byte samples are returned unscaled.
/// </remarks>
public static class IndexPngReader
{
    /// <summary>Reads an index PNG from <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a PNG, is corrupt, or is not a grayscale/indexed PNG; the message names the file.</exception>
    public static IndexMask Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Mask file not found: {path}", path);
        return Decode(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes index PNG bytes; <paramref name="name"/> (a file name) is used in error messages.</summary>
    public static IndexMask Decode(ReadOnlySpan<byte> png, string name)
    {
        var header = ReadHeader(png, name);
        if (header.ColorType is not (PngFormat.Grayscale or PngFormat.Indexed))
            throw new InvalidDataException(
                $"{name}: PNG colour type {header.ColorType} ({ColorTypeName(header.ColorType)}) holds colours, not class indices; an index mask must be grayscale (0) or indexed (3).");
        if (header.BitDepth is not (1 or 2 or 4 or 8))
            throw new InvalidDataException($"{name}: PNG bit depth {header.BitDepth} is not supported for index masks (1, 2, 4 or 8).");
        if (header.Interlace != 0)
            throw new InvalidDataException($"{name}: interlaced (Adam7) PNGs are not supported for index masks.");

        using var compressed = new MemoryStream();
        var sawPalette = false;
        var sawEnd = false;
        var offset = 8;
        while (offset < png.Length)
        {
            offset = ReadChunk(png, offset, name, out var type, out var data);
            if (type == "IDAT") compressed.Write(png.Slice(data.Start, data.Length));
            else if (type == "PLTE") sawPalette = true;
            else if (type == "IEND") { sawEnd = true; break; }
            else if (type != "IHDR" && char.IsUpper(type[0]))
                throw new InvalidDataException($"{name}: unknown critical PNG chunk '{type}'.");
        }
        if (!sawEnd) throw new InvalidDataException($"{name}: PNG ends without an IEND chunk (truncated file).");
        if (compressed.Length == 0) throw new InvalidDataException($"{name}: PNG has no image data (IDAT).");
        if (header.ColorType == PngFormat.Indexed && !sawPalette)
            throw new InvalidDataException($"{name}: indexed PNG has no palette (PLTE).");

        var stride = (int)(((long)header.Width * header.BitDepth + 7) / 8);
        var raw = new byte[(long)header.Height * (stride + 1)];
        compressed.Position = 0;
        try
        {
            using var z = new ZLibStream(compressed, CompressionMode.Decompress);
            var read = z.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
            if (read < raw.Length)
                throw new InvalidDataException($"{name}: PNG image data is truncated ({read} of {raw.Length} bytes).");
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(name, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{name}: PNG image data is corrupt ({e.Message}).", e);
        }

        var values = new byte[(long)header.Width * header.Height];
        var prev = new byte[stride];
        var row = new byte[stride];
        for (var y = 0; y < header.Height; y++)
        {
            var src = raw.AsSpan(y * (stride + 1), stride + 1);
            Unfilter(src[0], src[1..], prev, row, name, y);
            Unpack(row, header.BitDepth, values.AsSpan(y * header.Width, header.Width));
            (prev, row) = (row, prev);
        }
        return new IndexMask(header.Width, header.Height, values);
    }

    /// <summary>The IHDR fields.</summary>
    internal readonly record struct Header(int Width, int Height, int BitDepth, int ColorType, int Interlace);

    /// <summary>Checks the signature and reads IHDR. Throws InvalidDataException naming <paramref name="name"/>.</summary>
    internal static Header ReadHeader(ReadOnlySpan<byte> png, string name)
    {
        if (png.Length < 8 || !png[..8].SequenceEqual(PngFormat.Signature))
            throw new InvalidDataException($"{name}: not a PNG file (bad signature).");
        ReadChunk(png, 8, name, out var type, out var range);
        var data = png.Slice(range.Start, range.Length);
        if (type != "IHDR" || data.Length != 13)
            throw new InvalidDataException($"{name}: PNG does not start with a valid IHDR chunk.");
        var width = BinaryPrimitives.ReadUInt32BigEndian(data);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        if (width == 0 || height == 0 || width > 1 << 15 || height > 1 << 15)
            throw new InvalidDataException($"{name}: PNG size {width}x{height} is out of range (1..32768).");
        if (data[10] != 0 || data[11] != 0)
            throw new InvalidDataException($"{name}: unknown PNG compression or filter method.");
        return new Header((int)width, (int)height, data[8], data[9], data[12]);
    }

    /// <summary>True when <paramref name="bytes"/> begins with the PNG signature.</summary>
    internal static bool IsPng(ReadOnlySpan<byte> bytes) => bytes.Length >= 8 && bytes[..8].SequenceEqual(PngFormat.Signature);

    /// <summary>Reads the chunk at <paramref name="offset"/>, checks its CRC, returns the next chunk's offset.</summary>
    private static int ReadChunk(ReadOnlySpan<byte> png, int offset, string name, out string type, out (int Start, int Length) data)
    {
        if (offset + 12 > png.Length) throw new InvalidDataException($"{name}: PNG is truncated (incomplete chunk at byte {offset}).");
        var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
        if (length > int.MaxValue || offset + 12L + length > png.Length)
            throw new InvalidDataException($"{name}: PNG is truncated (chunk at byte {offset} claims {length} bytes).");
        var typeBytes = png.Slice(offset + 4, 4);
        foreach (var b in typeBytes)
            if (!char.IsAsciiLetter((char)b)) throw new InvalidDataException($"{name}: corrupt PNG chunk type at byte {offset}.");
        type = System.Text.Encoding.ASCII.GetString(typeBytes);
        data = (offset + 8, (int)length);
        var stored = BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8 + (int)length)..]);
        if (stored != PngFormat.Crc(typeBytes, png.Slice(data.Start, data.Length)))
            throw new InvalidDataException($"{name}: PNG chunk '{type}' at byte {offset} fails its CRC check (corrupt file).");
        return offset + 12 + (int)length;
    }

    private static void Unfilter(byte filter, ReadOnlySpan<byte> src, ReadOnlySpan<byte> prev, Span<byte> dst, string name, int y)
    {
        // Filters work on bytes; for bit depths <= 8 with one channel the byte distance is 1.
        for (var i = 0; i < src.Length; i++)
        {
            int a = i >= 1 ? dst[i - 1] : 0, b = prev[i], c = i >= 1 ? prev[i - 1] : 0;
            var predictor = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) >> 1,
                4 => PngFormat.Paeth(a, b, c),
                _ => throw new InvalidDataException($"{name}: invalid PNG filter type {filter} in row {y}."),
            };
            dst[i] = (byte)(src[i] + predictor);
        }
    }

    private static void Unpack(ReadOnlySpan<byte> row, int bitDepth, Span<byte> dst)
    {
        if (bitDepth == 8) { row[..dst.Length].CopyTo(dst); return; }
        var perByte = 8 / bitDepth;
        var mask = (1 << bitDepth) - 1;
        for (var x = 0; x < dst.Length; x++)
        {
            var shift = 8 - bitDepth * (x % perByte + 1);
            dst[x] = (byte)((row[x / perByte] >> shift) & mask);
        }
    }

    private static string ColorTypeName(int t) => t switch
    {
        0 => "grayscale",
        2 => "RGB",
        3 => "indexed",
        4 => "grayscale + alpha",
        6 => "RGBA",
        _ => "invalid",
    };
}
