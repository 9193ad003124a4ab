using Hfpl.Samples.Data;

namespace Hfpl.Samples.Tests.Data;

public class LabelPaletteTests
{
    [Theory]
    [InlineData(0, 0, 0, 0)]
    [InlineData(1, 128, 0, 0)]
    [InlineData(2, 0, 128, 0)]
    [InlineData(3, 128, 128, 0)]
    [InlineData(4, 0, 0, 128)]
    [InlineData(8, 64, 0, 0)]
    [InlineData(15, 192, 128, 128)]
    [InlineData(20, 0, 64, 128)]
    [InlineData(255, 224, 224, 192)]
    public void Voc_MatchesTheDevkitColourMap(int index, int r, int g, int b)
    {
        Assert.Equal(((byte)r, (byte)g, (byte)b), LabelPalette.Voc[index]);
    }

    [Fact]
    public void Voc_ColoursAreDistinct()
    {
        var colours = Enumerable.Range(0, 256).Select(i => LabelPalette.Voc[i]).ToHashSet();
        Assert.Equal(256, colours.Count);
    }

    [Fact]
    public void Colorize_ThenToIndices_IsIdentity()
    {
        var mask = TestFiles.RandomMask(9, 7, [0, 5, 17, 255]);
        var rgb = LabelPalette.Voc.Colorize(mask);
        Assert.Equal(LabelPalette.Voc[17], rgb[Array.IndexOf(mask.Values, (byte)17) / 9, Array.IndexOf(mask.Values, (byte)17) % 9]);
        Assert.Equal(mask.Values, LabelPalette.Voc.ToIndices(rgb, "m").Values);
    }

    [Fact]
    public void ToIndices_UnknownColour_Throws_NamingTheFile()
    {
        var rgb = new RgbImage(2, 2);
        rgb[1, 1] = (1, 2, 3);
        var e = Assert.Throws<InvalidDataException>(() => LabelPalette.Voc.ToIndices(rgb, "SegmentationClass/x.png"));
        Assert.Contains("SegmentationClass/x.png", e.Message);
    }

    [Fact]
    public void Overlay_BlendsAndKeepsVoid()
    {
        var image = new RgbImage(2, 1);
        image[0, 0] = (100, 100, 100);
        image[0, 1] = (100, 100, 100);
        var mask = new IndexMask(2, 1, [1, 255]);
        var half = LabelPalette.Voc.Overlay(image, mask, 0.5);
        Assert.Equal(((byte)114, (byte)50, (byte)50), half[0, 0]);   // (100 + 128) / 2, 100 / 2
        Assert.Equal(((byte)100, (byte)100, (byte)100), half[0, 1]); // void untouched
        Assert.Equal(image.Pixels, LabelPalette.Voc.Overlay(image, mask, 0).Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelPalette.Voc.Overlay(image, mask, 1.5));
    }
}
