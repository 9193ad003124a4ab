using System.Buffers.Binary;
using System.IO.Compression;
using Hfpl.Samples.Data;

namespace Hfpl.Samples.Tests.Data;

/// <summary>A fresh folder under the temp directory, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hfpl-tests-" + Guid.NewGuid().ToString("N"));

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>Hand-made image files for decoder tests, written independently of the code under test.</summary>
public static class TestFiles
{
    /// <summary>Every PNG row filter type (0-4) forced on all rows, and null: the encoder picks per row.</summary>
    public static TheoryData<int?> PngFilters => [0, 1, 2, 3, 4, null];

    /// <summary>A PNG assembled chunk by chunk: filter 0 on every row, samples packed at <paramref name="bitDepth"/>.</summary>
    public static byte[] Png(int width, int height, int bitDepth, int colorType, byte[] samples, byte[]? palette = null,
        int interlace = 0, int filterByte = 0, params (string Type, byte[] Data)[] extraChunks)
    {
        var stride = (width * bitDepth + 7) / 8;
        var raw = new byte[height * (stride + 1)];
        for (var y = 0; y < height; y++) raw[y * (stride + 1)] = (byte)filterByte;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var v = samples[y * width + x];
                var bit = x * bitDepth;
                raw[y * (stride + 1) + 1 + bit / 8] |= (byte)(v << (8 - bitDepth - bit % 8));
            }
        using var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)colorType;
        ihdr[12] = (byte)interlace;
        Chunk(ms, "IHDR", ihdr);
        foreach (var (type, data) in extraChunks) Chunk(ms, type, data);
        if (palette is not null) Chunk(ms, "PLTE", palette);
        using (var z = new MemoryStream())
        {
            using (var zs = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) zs.Write(raw);
            Chunk(ms, "IDAT", z.ToArray());
        }
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var buf = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(buf, (uint)data.Length);
        for (var i = 0; i < 4; i++) buf[4 + i] = (byte)type[i];
        data.CopyTo(buf, 8);
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(8 + data.Length), Crc32(buf.AsSpan(4, 4 + data.Length)));
        s.Write(buf);
    }

    /// <summary>Bitwise CRC-32 (no table), independent of the library's.</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            c ^= b;
            for (var k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (uint)-(int)(c & 1));
        }
        return ~c;
    }

    /// <summary>A 24-bit bottom-up BMP.</summary>
    public static byte[] Bmp(RgbImage image)
    {
        var rowBytes = (image.Width * 3 + 3) & ~3;
        var size = 54 + rowBytes * image.Height;
        var b = new byte[size];
        b[0] = (byte)'B';
        b[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(2), size);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(18), image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(22), image.Height);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(34), rowBytes * image.Height);
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                var (r, g, bl) = image[y, x];
                var o = 54 + (image.Height - 1 - y) * rowBytes + 3 * x;
                b[o] = bl;
                b[o + 1] = g;
                b[o + 2] = r;
            }
        return b;
    }

    /// <summary>A deterministic RGB test pattern with smooth and sharp parts.</summary>
    public static RgbImage Pattern(int width, int height, int seed = 1)
    {
        var img = new RgbImage(width, height);
        var rng = new Random(seed);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                img[y, x] = ((byte)(x * 255 / Math.Max(1, width - 1)), (byte)(y * 255 / Math.Max(1, height - 1)), (byte)rng.Next(256));
        return img;
    }

    /// <summary>Random values drawn from <paramref name="allowed"/>.</summary>
    public static IndexMask RandomMask(int width, int height, byte[] allowed, int seed = 2)
    {
        var rng = new Random(seed);
        var values = new byte[width * height];
        for (var i = 0; i < values.Length; i++) values[i] = allowed[rng.Next(allowed.Length)];
        return new IndexMask(width, height, values);
    }
}
