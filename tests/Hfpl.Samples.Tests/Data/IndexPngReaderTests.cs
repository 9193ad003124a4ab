using Hfpl.Samples.Data;
using SkiaSharp;

namespace Hfpl.Samples.Tests.Data;

public class IndexPngReaderTests
{
    private static readonly byte[] VocValues = [0, 1, 2, 7, 15, 20, 255];

    [Theory]
    [MemberData(nameof(TestFiles.PngFilters), MemberType = typeof(TestFiles))]
    public void Grayscale_EveryFilter_GivesRawValues_AsSkiaDoes(int? filter)
    {
        var mask = TestFiles.RandomMask(37, 23, VocValues, seed: 10 + (filter ?? 9));
        var png = PngWriter.Encode(mask.Values, mask.Width, mask.Height, 0, null, filter);

        var decoded = IndexPngReader.Decode(png, "gray.png");
        Assert.Equal((37, 23), (decoded.Width, decoded.Height));
        Assert.Equal(mask.Values, decoded.Values);

        // Independent reference: Skia decodes 8-bit grayscale PNGs to Gray8 with the raw values.
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(SKColorType.Gray8, bitmap.ColorType);
        Assert.Equal(mask.Values, bitmap.GetPixelSpan().ToArray());
    }

    [Theory]
    [MemberData(nameof(TestFiles.PngFilters), MemberType = typeof(TestFiles))]
    public void Indexed_EveryFilter_GivesIndices_WhereSkiaGivesPaletteColours(int? filter)
    {
        var mask = TestFiles.RandomMask(31, 17, VocValues, seed: 20 + (filter ?? 9));
        var png = PngWriter.Encode(mask.Values, mask.Width, mask.Height, 3, LabelPalette.Voc.ToArray(), filter);

        Assert.Equal(mask.Values, IndexPngReader.Decode(png, "indexed.png").Values);

        // Skia expands the palette: the pixels are VOC colours, not indices.
        var colours = ImageFile.DecodeRgb(png, "indexed.png");
        Assert.Equal(LabelPalette.Voc[15], colours[Array.IndexOf(mask.Values, (byte)15) / 31, Array.IndexOf(mask.Values, (byte)15) % 31]);
        Assert.Equal(mask.Values, LabelPalette.Voc.ToIndices(colours, "indexed.png").Values);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(4, 0)]
    [InlineData(1, 3)]
    [InlineData(2, 3)]
    [InlineData(4, 3)]
    [InlineData(8, 3)]
    public void SubByteDepths_AreUnpacked(int bitDepth, int colorType)
    {
        var allowed = Enumerable.Range(0, 1 << bitDepth).Select(v => (byte)v).ToArray();
        var mask = TestFiles.RandomMask(13, 5, allowed, seed: bitDepth);
        var png = TestFiles.Png(13, 5, bitDepth, colorType, mask.Values, colorType == 3 ? LabelPalette.Voc.ToArray()[..(3 << bitDepth)] : null);
        Assert.Equal(mask.Values, IndexPngReader.Decode(png, "packed.png").Values);
    }

    [Fact]
    public void AncillaryChunks_AreIgnored()
    {
        var mask = TestFiles.RandomMask(8, 4, VocValues);
        var png = TestFiles.Png(8, 4, 8, 3, mask.Values, LabelPalette.Voc.ToArray(),
            extraChunks: [("gAMA", [0, 0, 0xB1, 0x8F]), ("tEXt", "Comment\0hello"u8.ToArray())]);
        Assert.Equal(mask.Values, IndexPngReader.Decode(png, "x.png").Values);
    }

    [Fact]
    public void MissingFile_ThrowsFileNotFound()
    {
        var path = Path.Combine(Path.GetTempPath(), "hfpl-no-such-mask.png");
        var e = Assert.Throws<FileNotFoundException>(() => IndexPngReader.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void NotAPng_Throws_NamingTheFile()
    {
        var e = Assert.Throws<InvalidDataException>(() => IndexPngReader.Decode("GIF89a.........."u8.ToArray(), "masks/a.png"));
        Assert.Contains("masks/a.png", e.Message);
    }

    [Fact]
    public void BadCrc_Throws_NamingTheFile()
    {
        var png = PngWriter.EncodeGray(TestFiles.RandomMask(9, 9, VocValues));
        png[^20] ^= 0x55; // inside the IDAT data
        var e = Assert.Throws<InvalidDataException>(() => IndexPngReader.Decode(png, "masks/b.png"));
        Assert.Contains("masks/b.png", e.Message);
        Assert.Contains("CRC", e.Message);
    }

    [Fact]
    public void Truncated_Throws_NamingTheFile()
    {
        var png = PngWriter.EncodeGray(TestFiles.RandomMask(9, 9, VocValues));
        var e = Assert.Throws<InvalidDataException>(() => IndexPngReader.Decode(png.AsSpan(0, png.Length - 30), "masks/c.png"));
        Assert.Contains("masks/c.png", e.Message);
    }

    [Fact]
    public void ShortImageData_Throws()
    {
        // A valid zlib stream that holds fewer bytes than the header promises.
        var png = TestFiles.Png(4, 4, 8, 0, new byte[16]);
        var lying = TestFiles.Png(4, 8, 8, 0, new byte[32]);
        var idatOf4x4 = png.AsSpan(33).ToArray();
        var forged = lying.AsSpan(0, 33).ToArray().Concat(idatOf4x4).ToArray();
        var e = Assert.Throws<InvalidDataException>(() => IndexPngReader.Decode(forged, "short.png"));
        Assert.Contains("short.png", e.Message);
    }

    [Fact]
    public void InvalidFilterType_Throws()
    {
        var png = TestFiles.Png(4, 2, 8, 0, new byte[8], filterByte: 7);
        var e = Assert.Throws<InvalidDataException>(() => IndexPngReader.Decode(png, "f.png"));
        Assert.Contains("filter", e.Message);
    }

    [Theory]
    [InlineData(8, 2, 0, "colour type 2")]
    [InlineData(8, 6, 0, "colour type 6")]
    [InlineData(16, 0, 0, "bit depth 16")]
    [InlineData(8, 0, 1, "interlaced")]
    public void UnsupportedKinds_Throw_WithReason(int bitDepth, int colorType, int interlace, string reason)
    {
        var png = TestFiles.Png(2, 2, 8, 0, new byte[4], interlace: interlace);
        png[24] = (byte)bitDepth;
        png[25] = (byte)colorType;
        // Re-seal the IHDR CRC so that only the kind is wrong.
        var crc = TestFiles.Crc32(png.AsSpan(12, 17));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), crc);
        var e = Assert.Throws<InvalidDataException>(() => IndexPngReader.Decode(png, "k.png"));
        Assert.Contains(reason, e.Message);
        Assert.Contains("k.png", e.Message);
    }

    [Fact]
    public void IndexedWithoutPalette_Throws()
    {
        var png = TestFiles.Png(2, 2, 8, 3, new byte[4]);
        Assert.Throws<InvalidDataException>(() => IndexPngReader.Decode(png, "p.png"));
    }
}
