using Hfpl.Samples.Data;

namespace Hfpl.Samples.Tests.Data;

public class PngWriterTests
{
    [Theory]
    [MemberData(nameof(TestFiles.PngFilters), MemberType = typeof(TestFiles))]
    public void Rgb_EveryFilter_DecodesExactlyWithSkia(int? filter)
    {
        var image = TestFiles.Pattern(29, 19, seed: filter ?? 9);
        var png = PngWriter.Encode(image.Pixels, image.Width, image.Height, 2, null, filter);
        var decoded = ImageFile.DecodeRgb(png, "rgb.png");
        Assert.Equal((29, 19), (decoded.Width, decoded.Height));
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void WriteRgb_CreatesFolders_AndRoundTrips()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("a", "b", "img.png");
        var image = TestFiles.Pattern(16, 12);
        PngWriter.WriteRgb(path, image);
        Assert.Equal(image.Pixels, ImageFile.ReadRgb(path).Pixels);
    }

    [Fact]
    public void WriteGray_StoresValuesVerbatim()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("m.png");
        var mask = TestFiles.RandomMask(21, 11, [0, 3, 20, 255]);
        PngWriter.WriteGray(path, mask);
        Assert.Equal(0, IndexPngReader.ReadHeader(File.ReadAllBytes(path), path).ColorType);
        Assert.Equal(mask.Values, IndexPngReader.Read(path).Values);
        // As RGB the grey values repeat in each channel.
        var rgb = ImageFile.ReadRgb(path);
        Assert.Equal((mask[5, 7], mask[5, 7], mask[5, 7]), rgb[5, 7]);
    }

    [Fact]
    public void WriteIndexed_StoresIndices_AndShowsPaletteColours()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("m.png");
        var mask = TestFiles.RandomMask(21, 11, [0, 1, 15, 255]);
        PngWriter.WriteIndexed(path, mask);
        Assert.Equal(3, IndexPngReader.ReadHeader(File.ReadAllBytes(path), path).ColorType);
        Assert.Equal(mask.Values, IndexPngReader.Read(path).Values);
        var rgb = ImageFile.ReadRgb(path);
        for (var i = 0; i < mask.Values.Length; i++)
            Assert.Equal(LabelPalette.Voc[mask.Values[i]], rgb[i / 21, i % 21]);
    }

    [Fact]
    public void WriteIndexed_WithOtherPalette_UsesIt()
    {
        var colours = new byte[768];
        for (var i = 0; i < 256; i++) colours[3 * i] = colours[3 * i + 1] = colours[3 * i + 2] = (byte)(255 - i);
        var mask = TestFiles.RandomMask(5, 5, [0, 1, 2]);
        var rgb = ImageFile.DecodeRgb(PngWriter.EncodeIndexed(mask, new LabelPalette(colours)), "x");
        Assert.Equal(((byte)(255 - mask[2, 3]), (byte)(255 - mask[2, 3]), (byte)(255 - mask[2, 3])), rgb[2, 3]);
    }
}
