using Hfpl.Samples.Data;

namespace Hfpl.Samples.Tests.Data;

public class ImageFileTests
{
    [Fact]
    public void Bmp_DecodesExactly()
    {
        using var tmp = new TempFolder();
        var image = TestFiles.Pattern(7, 5); // 21-byte rows: padded to 24
        var path = tmp.Combine("x.bmp");
        File.WriteAllBytes(path, TestFiles.Bmp(image));
        var decoded = ImageFile.ReadRgb(path);
        Assert.Equal((7, 5), (decoded.Width, decoded.Height));
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Jpeg_RoundTripsClosely()
    {
        using var tmp = new TempFolder();
        var image = new RgbImage(40, 24);
        for (var y = 0; y < 24; y++)
            for (var x = 0; x < 40; x++)
                image[y, x] = ((byte)(x * 6), (byte)(y * 10), (byte)(x < 20 ? 60 : 200));
        var path = tmp.Combine("x.jpg");
        ImageFile.WriteJpeg(path, image, quality: 100);
        var decoded = ImageFile.ReadRgb(path);
        Assert.Equal((40, 24), (decoded.Width, decoded.Height));
        var meanAbs = image.Pixels.Zip(decoded.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(meanAbs, 0, 3);
        // Channel order: the red ramp stays in R.
        Assert.InRange(decoded[12, 39].R - decoded[12, 0].R, 200, 255);
    }

    [Fact]
    public void GrayscalePng_BecomesGreyRgb()
    {
        var mask = TestFiles.RandomMask(6, 4, [0, 90, 255]);
        var rgb = ImageFile.DecodeRgb(PngWriter.EncodeGray(mask), "g.png");
        for (var i = 0; i < mask.Values.Length; i++)
            Assert.Equal((mask.Values[i], mask.Values[i], mask.Values[i]), rgb[i / 6, i % 6]);
    }

    [Fact]
    public void MissingFile_ThrowsFileNotFound()
    {
        var path = Path.Combine(Path.GetTempPath(), "hfpl-no-such-image.jpg");
        var e = Assert.Throws<FileNotFoundException>(() => ImageFile.ReadRgb(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Garbage_Throws_NamingTheFile()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("bad.png");
        File.WriteAllBytes(path, Enumerable.Range(0, 500).Select(i => (byte)(i * 7)).ToArray());
        var e = Assert.Throws<InvalidDataException>(() => ImageFile.ReadRgb(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void TruncatedJpeg_Throws_NamingTheFile()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("cut.jpg");
        var jpeg = ImageFile.EncodeJpeg(TestFiles.Pattern(64, 48), 90);
        File.WriteAllBytes(path, jpeg[..(jpeg.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => ImageFile.ReadRgb(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void TruncatedPng_Throws_NamingTheFile()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("cut.png");
        var png = PngWriter.EncodeRgb(TestFiles.Pattern(64, 48));
        File.WriteAllBytes(path, png[..(png.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => ImageFile.ReadRgb(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void JpegQuality_IsChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFile.EncodeJpeg(TestFiles.Pattern(4, 4), 0));
    }
}
