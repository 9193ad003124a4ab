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

    // Fixtures written by PIL (/usr/bin/python3, quality 100): about 1 % of COCO's photographs are single-channel JPEGs, and
    // some web photographs are Adobe CMYK JPEGs; both must decode to RGB, not fail or come out as noise.
    const string GrayJpeg = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wAALCAAGAAgBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/AOE/4N3Phxp//FDcxf8AMO/hP/TP/Zr/2Q==";
    const string CmykJpeg = "/9j/7gAOQWRvYmUAZAAAAAAA/9sAQwABAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB/8AAFAgABgAIBEMRAE0RAFkRAEsRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4EQwBNAFkASwAAPwD+kCv5P6/M+v7+K//Z";

    [Fact]
    public void GrayscaleJpeg_BecomesGreyRgb()
    {
        // PIL's pixels: (30 x + 5 y) mod 256 on an 8x6 image.
        var rgb = ImageFile.DecodeRgb(Convert.FromBase64String(GrayJpeg), "g.jpg");
        Assert.Equal((8, 6), (rgb.Width, rgb.Height));
        for (var y = 0; y < 6; y++)
            for (var x = 0; x < 8; x++)
            {
                var (r, g, b) = rgb[y, x];
                Assert.Equal(r, g);
                Assert.Equal(r, b);
                Assert.InRange(Math.Abs(r - (30 * x + 5 * y) % 256), 0, 12);
            }
    }

    [Fact]
    public void CmykJpeg_BecomesItsRgbColour()
    {
        // PIL converted RGB (200, 40, 90) to CMYK and wrote it as an Adobe (inverted) CMYK JPEG.
        var rgb = ImageFile.DecodeRgb(Convert.FromBase64String(CmykJpeg), "c.jpg");
        Assert.Equal((8, 6), (rgb.Width, rgb.Height));
        var (r, g, b) = rgb[3, 3];
        Assert.InRange(r, 190, 210);
        Assert.InRange(g, 30, 50);
        Assert.InRange(b, 80, 100);
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
