using Hfpl.Samples.Data;

namespace Hfpl.Samples.Tests.Data;

public class MsrcDatasetTests
{
    private static readonly SyntheticOptions Small = new() { Seed = 5, Count = 5, Width = 72, Height = 56 };

    /// <summary>A fixture folder written by the synthetic generator through the MSRC-layout writer.</summary>
    private static SyntheticDataset WriteFixture(TempFolder tmp)
    {
        var synthetic = new SyntheticDataset(Small);
        synthetic.WriteMsrcLayout(tmp.Path);
        return synthetic;
    }

    [Fact]
    public void ReadsWhatTheWriterWrote()
    {
        using var tmp = new TempFolder();
        var synthetic = WriteFixture(tmp);
        var ds = new MsrcDataset(tmp.Path);

        Assert.Equal(synthetic.Ids, ds.Ids);
        Assert.Equal(synthetic.Info.ClassNames, ds.Info.ClassNames);
        Assert.True(ds.Info.HasBackground);
        Assert.Equal(255, ds.Info.IgnoreIndex);
        Assert.Empty(ds.PreciseMaskIds);
        for (var i = 0; i < ds.Count; i++)
        {
            var expected = synthetic[i];
            var actual = ds[i];
            Assert.Equal(expected.Id, actual.Id);
            Assert.Equal((72, 56), (actual.Width, actual.Height));
            Assert.Equal(expected.Image.Pixels, actual.Image.Pixels);
            Assert.Equal(expected.Mask.Values, actual.Mask.Values);
            Assert.Equal(expected.Labels, actual.Labels);
            Assert.Equal(Path.Combine(tmp.Path, "masks", actual.Id + ".png"), actual.MaskPath);
            Assert.Null(actual.PreciseMask);
        }
        Assert.Equal(ds.Count, ds.Count());
    }

    [Fact]
    public void ClassesJsonWithoutBackgroundFlag_MeansNoBackground()
    {
        using var tmp = new TempFolder();
        WriteFixture(tmp);
        File.WriteAllText(tmp.Combine("classes.json"),
            """{"classes": ["background", "beetle", "leaf", "crystal", "slug", "tile"], "ignore_index": 255}""");
        var ds = new MsrcDataset(tmp.Path);
        Assert.False(ds.Info.HasBackground);
        Assert.Equal(6, ds[0].Labels.Count);
        Assert.Equal(1f, ds[0].Labels[0]); // class 0 is now an ordinary label
    }

    [Fact]
    public void PreciseMasks_AreExposed()
    {
        using var tmp = new TempFolder();
        var synthetic = WriteFixture(tmp);
        var id = synthetic.Ids[2];
        var precise = new SyntheticDataset(Small with { VoidBorder = 0 })[2].Mask;
        var coarse = new SyntheticDataset(Small with { VoidBorder = 2 })[2].Mask;
        PngWriter.WriteGray(tmp.Combine("masks", id + ".png"), coarse);
        Directory.CreateDirectory(tmp.Combine("masks_hq"));
        PngWriter.WriteGray(tmp.Combine("masks_hq", id + ".png"), precise);

        var ds = new MsrcDataset(tmp.Path);
        Assert.Equal([id], ds.PreciseMaskIds);
        var s = ds[2];
        Assert.Equal(coarse.Values, s.Mask.Values);
        Assert.NotNull(s.PreciseMask);
        Assert.Equal(precise.Values, s.PreciseMask!.Values);
        using var t = s.PreciseMaskTensor();
        Assert.Equal([56L, 72], t!.shape);
        Assert.Null(ds[1].PreciseMask);
    }

    [Fact]
    public void IndexedMasks_AreReadAsIndices()
    {
        using var tmp = new TempFolder();
        var synthetic = WriteFixture(tmp);
        PngWriter.WriteIndexed(tmp.Combine("masks", synthetic.Ids[0] + ".png"), synthetic[0].Mask);
        Assert.Equal(synthetic[0].Mask.Values, new MsrcDataset(tmp.Path)[0].Mask.Values);
    }

    [Fact]
    public void MissingRoot_ThrowsDirectoryNotFound()
    {
        var root = Path.Combine(Path.GetTempPath(), "hfpl-no-such-dataset");
        var e = Assert.Throws<DirectoryNotFoundException>(() => new MsrcDataset(root));
        Assert.Contains(root, e.Message);
    }

    [Fact]
    public void MissingMaskFolder_ThrowsDirectoryNotFound()
    {
        using var tmp = new TempFolder();
        WriteFixture(tmp);
        Directory.Delete(tmp.Combine("masks"), recursive: true);
        var e = Assert.Throws<DirectoryNotFoundException>(() => new MsrcDataset(tmp.Path));
        Assert.Contains(tmp.Combine("masks"), e.Message);
    }

    [Fact]
    public void MissingMask_ThrowsFileNotFound_NamingIt()
    {
        using var tmp = new TempFolder();
        var synthetic = WriteFixture(tmp);
        var mask = tmp.Combine("masks", synthetic.Ids[3] + ".png");
        File.Delete(mask);
        var e = Assert.Throws<FileNotFoundException>(() => new MsrcDataset(tmp.Path));
        Assert.Contains(mask, e.Message);
        Assert.Equal(mask, e.FileName);
    }

    [Fact]
    public void MissingClassList_ThrowsFileNotFound()
    {
        using var tmp = new TempFolder();
        WriteFixture(tmp);
        File.Delete(tmp.Combine("classes.json"));
        var e = Assert.Throws<FileNotFoundException>(() => new MsrcDataset(tmp.Path));
        Assert.Contains("classes.json", e.Message);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"names": ["a"]}""")]
    [InlineData("""{"classes": ["a", 3]}""")]
    [InlineData("""{"classes": ["a", "b"], "ignore_index": 1}""")]
    public void MalformedClassList_ThrowsInvalidData(string json)
    {
        using var tmp = new TempFolder();
        WriteFixture(tmp);
        File.WriteAllText(tmp.Combine("classes.json"), json);
        var e = Assert.Throws<InvalidDataException>(() => new MsrcDataset(tmp.Path));
        Assert.Contains("classes.json", e.Message);
    }

    [Fact]
    public void EmptyImageFolder_ThrowsInvalidData()
    {
        using var tmp = new TempFolder();
        WriteFixture(tmp);
        foreach (var f in Directory.GetFiles(tmp.Combine("images"))) File.Delete(f);
        Assert.Throws<InvalidDataException>(() => new MsrcDataset(tmp.Path));
    }

    [Fact]
    public void CorruptImage_Throws_NamingIt_AndIsNotSkipped()
    {
        using var tmp = new TempFolder();
        var synthetic = WriteFixture(tmp);
        var image = tmp.Combine("images", synthetic.Ids[1] + ".png");
        var bytes = File.ReadAllBytes(image);
        File.WriteAllBytes(image, bytes[..(bytes.Length / 3)]);
        var ds = new MsrcDataset(tmp.Path);
        Assert.Equal(5, ds.Count);
        var e = Assert.Throws<InvalidDataException>(() => ds[1]);
        Assert.Contains(image, e.Message);
        Assert.Throws<InvalidDataException>(() => ds.ToList());
        _ = ds[0]; // the others still read
    }

    [Fact]
    public void CorruptMask_Throws_NamingIt()
    {
        using var tmp = new TempFolder();
        var synthetic = WriteFixture(tmp);
        var mask = tmp.Combine("masks", synthetic.Ids[4] + ".png");
        var bytes = File.ReadAllBytes(mask);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(mask, bytes);
        var e = Assert.Throws<InvalidDataException>(() => new MsrcDataset(tmp.Path)[4]);
        Assert.Contains(mask, e.Message);
    }

    [Fact]
    public void MaskOfOtherSize_Throws_NamingIt()
    {
        using var tmp = new TempFolder();
        var synthetic = WriteFixture(tmp);
        var mask = tmp.Combine("masks", synthetic.Ids[0] + ".png");
        PngWriter.WriteGray(mask, new IndexMask(56, 72)); // transposed
        var e = Assert.Throws<InvalidDataException>(() => new MsrcDataset(tmp.Path)[0]);
        Assert.Contains(mask, e.Message);
    }

    [Fact]
    public void MaskWithUnknownClass_Throws_NamingIt()
    {
        using var tmp = new TempFolder();
        var synthetic = WriteFixture(tmp);
        var mask = tmp.Combine("masks", synthetic.Ids[0] + ".png");
        var values = new byte[72 * 56];
        values[100] = 6; // the fixture has classes 0..5
        PngWriter.WriteGray(mask, new IndexMask(72, 56, values));
        var e = Assert.Throws<InvalidDataException>(() => new MsrcDataset(tmp.Path)[0]);
        Assert.Contains(mask, e.Message);
    }

    [Fact]
    public void ColourMask_IsRejected()
    {
        using var tmp = new TempFolder();
        var synthetic = WriteFixture(tmp);
        var mask = tmp.Combine("masks", synthetic.Ids[0] + ".png");
        PngWriter.WriteRgb(mask, LabelPalette.Voc.Colorize(synthetic[0].Mask));
        var e = Assert.Throws<InvalidDataException>(() => new MsrcDataset(tmp.Path)[0]);
        Assert.Contains(mask, e.Message);
    }
}
