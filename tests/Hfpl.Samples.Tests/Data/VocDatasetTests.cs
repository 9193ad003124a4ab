using Hfpl.Samples.Data;

namespace Hfpl.Samples.Tests.Data;

public class VocDatasetTests
{
    private const int W = 40, H = 30;

    /// <summary>Masks of the tiny VOC tree: 0 background, 15 person, 1 aeroplane, 20 tvmonitor, 255 border.</summary>
    private static readonly Dictionary<string, IndexMask> Masks = new()
    {
        ["2007_000032"] = Blocks(15),
        ["2007_000039"] = Blocks(1, 20),
        ["2007_000063"] = Blocks(),
    };

    /// <summary>Background with a rectangle per class, each bordered with 255 like VOC masks.</summary>
    private static IndexMask Blocks(params byte[] classes)
    {
        var mask = new IndexMask(W, H);
        for (var k = 0; k < classes.Length; k++)
            for (var y = 4; y < 20; y++)
                for (var x = 3 + 18 * k; x < 17 + 18 * k; x++)
                    mask[y, x] = y == 4 || y == 19 || x == 3 + 18 * k || x == 16 + 18 * k ? (byte)255 : classes[k];
        return mask;
    }

    /// <summary>Writes JPEGImages/, indexed SegmentationClass/ PNGs and the split lists under <paramref name="root"/>.</summary>
    private static void WriteTree(string root)
    {
        var seed = 0;
        foreach (var (id, mask) in Masks)
        {
            ImageFile.WriteJpeg(Path.Combine(root, "JPEGImages", id + ".jpg"), TestFiles.Pattern(W, H, ++seed), 95);
            PngWriter.WriteIndexed(Path.Combine(root, "SegmentationClass", id + ".png"), mask);
        }
        var sets = Directory.CreateDirectory(Path.Combine(root, "ImageSets", "Segmentation")).FullName;
        File.WriteAllLines(Path.Combine(sets, "train.txt"), ["2007_000039", "2007_000032", ""]);
        File.WriteAllLines(Path.Combine(sets, "val.txt"), ["2007_000063"]);
        File.WriteAllLines(Path.Combine(sets, "trainval.txt"), Masks.Keys);
    }

    [Fact]
    public void ReadsIndexedMasks_AsClassIndices()
    {
        using var tmp = new TempFolder();
        WriteTree(tmp.Path);
        var ds = new VocDataset(tmp.Path, "train");
        Assert.Equal(["2007_000039", "2007_000032"], ds.Ids);
        Assert.Same(DatasetInfo.Voc2012, ds.Info);

        var s = ds[1];
        Assert.Equal("2007_000032", s.Id);
        Assert.Equal((W, H), (s.Width, s.Height));
        Assert.Equal(Masks["2007_000032"].Values, s.Mask.Values);
        Assert.Equal([0, 15], s.PresentClasses);
        Assert.Equal(20, s.Labels.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(k => k == 14 ? 1f : 0f), s.Labels);

        var two = ds[0];
        Assert.Equal([0, 1, 20], two.PresentClasses);
        Assert.Equal(1f, two.Labels[0]);
        Assert.Equal(1f, two.Labels[19]);
        Assert.Equal(2f, two.Labels.Sum());
    }

    [Fact]
    public void TheFixtureMasks_AreRealPalettePngs()
    {
        // What makes VOC tricky: the file is indexed, and a colour decoder sees VOC colours, not classes.
        using var tmp = new TempFolder();
        WriteTree(tmp.Path);
        var path = tmp.Combine("SegmentationClass", "2007_000032.png");
        Assert.Equal(3, IndexPngReader.ReadHeader(File.ReadAllBytes(path), path).ColorType);
        var colours = ImageFile.ReadRgb(path);
        Assert.Equal(((byte)192, (byte)128, (byte)128), colours[10, 10]);  // person
        Assert.Equal(((byte)224, (byte)224, (byte)192), colours[4, 3]);    // border
        Assert.Equal(15, new VocDataset(tmp.Path, "train")[1].Mask[10, 10]);
    }

    [Fact]
    public void Images_AreTheJpegs()
    {
        using var tmp = new TempFolder();
        WriteTree(tmp.Path);
        var s = new VocDataset(tmp.Path, "val")[0];
        var expected = TestFiles.Pattern(W, H, 3);
        Assert.Equal(tmp.Combine("JPEGImages", "2007_000063.jpg"), s.ImagePath);
        // Smooth channels survive JPEG closely (the blue channel is noise and is left out).
        for (var y = 0; y < H; y += 7)
            for (var x = 0; x < W; x += 7)
            {
                Assert.InRange(Math.Abs(s.Image[y, x].R - expected[y, x].R), 0, 24);
                Assert.InRange(Math.Abs(s.Image[y, x].G - expected[y, x].G), 0, 24);
            }
        Assert.Equal([0], s.PresentClasses);
        Assert.All(s.Labels, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData("train", 2)]
    [InlineData("val", 1)]
    [InlineData("trainval", 3)]
    public void Splits_ListTheirIds(string split, int count)
    {
        using var tmp = new TempFolder();
        WriteTree(tmp.Path);
        Assert.Equal(count, new VocDataset(tmp.Path, split).Count);
    }

    [Fact]
    public void DevkitFolder_IsAcceptedAsRoot()
    {
        using var tmp = new TempFolder();
        WriteTree(tmp.Combine("VOC2012"));
        var ds = new VocDataset(tmp.Path, "val");
        Assert.Equal(tmp.Combine("VOC2012"), ds.Root);
        Assert.Single(ds);
    }

    [Fact]
    public void RgbColourMasks_AreMappedBackThroughThePalette()
    {
        using var tmp = new TempFolder();
        WriteTree(tmp.Path);
        var mask = Masks["2007_000039"];
        PngWriter.WriteRgb(tmp.Combine("SegmentationClass", "2007_000039.png"), LabelPalette.Voc.Colorize(mask));
        Assert.Equal(mask.Values, new VocDataset(tmp.Path, "train")[0].Mask.Values);
    }

    [Fact]
    public void MissingRoot_ThrowsDirectoryNotFound()
    {
        var root = Path.Combine(Path.GetTempPath(), "hfpl-no-such-voc");
        var e = Assert.Throws<DirectoryNotFoundException>(() => new VocDataset(root, "train"));
        Assert.Contains(root, e.Message);
    }

    [Fact]
    public void MissingSplit_ThrowsFileNotFound_NamingIt()
    {
        using var tmp = new TempFolder();
        WriteTree(tmp.Path);
        var e = Assert.Throws<FileNotFoundException>(() => new VocDataset(tmp.Path, "test"));
        Assert.Contains(tmp.Combine("ImageSets", "Segmentation", "test.txt"), e.Message);
        Assert.Throws<ArgumentException>(() => new VocDataset(tmp.Path, "../train"));
    }

    [Fact]
    public void MissingImage_ThrowsFileNotFound_NamingIt()
    {
        using var tmp = new TempFolder();
        WriteTree(tmp.Path);
        var jpg = tmp.Combine("JPEGImages", "2007_000032.jpg");
        File.Delete(jpg);
        var e = Assert.Throws<FileNotFoundException>(() => new VocDataset(tmp.Path, "train"));
        Assert.Contains(jpg, e.Message);
        _ = new VocDataset(tmp.Path, "val"); // a split that does not list it still opens
    }

    [Fact]
    public void MissingMask_ThrowsFileNotFound_NamingIt()
    {
        using var tmp = new TempFolder();
        WriteTree(tmp.Path);
        var png = tmp.Combine("SegmentationClass", "2007_000063.png");
        File.Delete(png);
        var e = Assert.Throws<FileNotFoundException>(() => new VocDataset(tmp.Path, "trainval"));
        Assert.Contains(png, e.Message);
    }

    [Fact]
    public void CorruptJpeg_Throws_NamingIt()
    {
        using var tmp = new TempFolder();
        WriteTree(tmp.Path);
        var jpg = tmp.Combine("JPEGImages", "2007_000039.jpg");
        File.WriteAllBytes(jpg, File.ReadAllBytes(jpg)[..200]);
        var e = Assert.Throws<InvalidDataException>(() => new VocDataset(tmp.Path, "train")[0]);
        Assert.Contains(jpg, e.Message);
    }

    [Fact]
    public void MaskOfOtherSize_Throws_NamingIt()
    {
        using var tmp = new TempFolder();
        WriteTree(tmp.Path);
        var png = tmp.Combine("SegmentationClass", "2007_000039.png");
        PngWriter.WriteIndexed(png, new IndexMask(W, H + 1));
        var e = Assert.Throws<InvalidDataException>(() => new VocDataset(tmp.Path, "train")[0]);
        Assert.Contains(png, e.Message);
    }
}
