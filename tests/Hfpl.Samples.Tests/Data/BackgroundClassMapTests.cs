using Hfpl.Samples.Data;
using Hfpl.Samples.Experiments;

namespace Hfpl.Samples.Tests.Data;

public class BackgroundClassMapTests
{
    static readonly DatasetInfo Stuff = new("stuff", ["building", "grass", "cow", "sky", "sheep"], hasBackground: false);

    [Fact]
    public void Named_classes_become_background_and_the_rest_keep_their_order()
    {
        var map = new BackgroundClassMap(Stuff, ["grass", "building", "sky"]);
        Assert.Equal(["background", "cow", "sheep"], map.Info.ClassNames);
        Assert.True(map.Info.HasBackground);
        Assert.Equal(2, map.Info.NumLabels);
        Assert.Equal([0, 0, 1, 0, 2], Enumerable.Range(0, 5).Select(c => (int)map[c]));
        var mask = new IndexMask(3, 2, [0, 1, 2, 3, 4, 255]);
        Assert.Equal(new byte[] { 0, 0, 1, 0, 2, 255 }, map.Apply(mask).Values);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 255 }, mask.Values); // the input is not changed
    }

    [Fact]
    public void An_existing_background_class_stays_background()
    {
        var voc = new DatasetInfo("v", ["background", "cat", "sofa", "dog"], hasBackground: true);
        var map = new BackgroundClassMap(voc, ["sofa"]);
        Assert.Equal(["background", "cat", "dog"], map.Info.ClassNames);
        Assert.Equal([0, 1, 0, 2], Enumerable.Range(0, 4).Select(c => (int)map[c]));
    }

    [Fact]
    public void Values_that_are_no_class_are_kept_so_that_the_sample_check_reports_them()
    {
        var map = new BackgroundClassMap(Stuff, ["grass"]);
        Assert.Equal(9, map.Apply(new IndexMask(1, 1, [9])).Values[0]);
        Assert.Throws<InvalidDataException>(() => new SegmentationSample("x", new RgbImage(1, 1), map.Apply(new IndexMask(1, 1, [9])), map.Info));
    }

    [Theory]
    [InlineData("background class 'horse' is not a class of stuff", "horse")]
    [InlineData("background class 'sky' is named twice", "sky", "sky")]
    [InlineData("leave no object class", "building", "grass", "cow", "sky", "sheep")]
    [InlineData("must name at least one class")]
    public void Bad_names_are_an_argument_exception_that_says_which(string message, params string[] names)
    {
        var e = Assert.Throws<ArgumentException>(() => new BackgroundClassMap(Stuff, names));
        Assert.Equal("backgroundClasses", e.ParamName);
        Assert.Contains(message, e.Message);
    }

    /// <summary>An MSRC-layout folder with every class labelled: the synthetic data's class 0 renamed "grass", no background flag.</summary>
    static SyntheticDataset WriteAllLabelledFixture(TempFolder tmp)
    {
        var synthetic = new SyntheticDataset(new SyntheticOptions { Seed = 3, Count = 4, Width = 64, Height = 48 });
        synthetic.WriteMsrcLayout(tmp.Path);
        File.WriteAllText(tmp.Combine("classes.json"),
            """{"classes": ["grass", "beetle", "leaf", "crystal", "slug", "tile"], "ignore_index": 255}""");
        Directory.CreateDirectory(tmp.Combine("masks_hq"));
        File.Copy(tmp.Combine("masks", synthetic.Ids[0] + ".png"), tmp.Combine("masks_hq", synthetic.Ids[0] + ".png"));
        return synthetic;
    }

    [Fact]
    public void The_msrc_reader_maps_masks_precise_masks_and_labels()
    {
        using var tmp = new TempFolder();
        WriteAllLabelledFixture(tmp);
        var plain = new MsrcDataset(tmp.Path);
        Assert.False(plain.Info.HasBackground);
        Assert.Null(plain.Map);
        Assert.Equal(6, plain.Info.NumLabels);

        var merged = new MsrcDataset(tmp.Path, ["grass", "leaf"]);
        Assert.Equal(["background", "beetle", "crystal", "slug", "tile"], merged.Info.ClassNames);
        Assert.True(merged.Info.HasBackground);
        Assert.Equal(4, merged.Info.NumLabels);
        for (var i = 0; i < merged.Count; i++)
        {
            var (before, after) = (plain[i], merged[i]);
            Assert.Equal(before.Mask.Values.Select(v => v switch { 0 or 2 => 0, 1 => 1, 255 => 255, _ => v - 1 }).Select(v => (byte)v), after.Mask.Values);
            // Labels are the object classes present: beetle, crystal, slug, tile.
            Assert.Equal(new[] { 1, 3, 4, 5 }.Select(c => before.Labels[c]), after.Labels);
        }
        Assert.Equal(merged[0].Mask.Values, merged[0].PreciseMask!.Values);
    }

    [Fact]
    public void Classes_json_may_declare_the_background_classes_and_the_argument_overrides_it()
    {
        using var tmp = new TempFolder();
        WriteAllLabelledFixture(tmp);
        File.WriteAllText(tmp.Combine("classes.json"),
            """{"classes": ["grass", "beetle", "leaf", "crystal", "slug", "tile"], "background_classes": ["grass"]}""");
        Assert.Equal(["background", "beetle", "leaf", "crystal", "slug", "tile"], new MsrcDataset(tmp.Path).Info.ClassNames);
        Assert.Equal(["background", "beetle", "crystal", "slug", "tile"], new MsrcDataset(tmp.Path, ["grass", "leaf"]).Info.ClassNames);
        Assert.False(new MsrcDataset(tmp.Path, []).Info.HasBackground);
    }

    [Theory]
    [InlineData("""{"classes": ["grass", "beetle", "leaf", "crystal", "slug", "tile"], "background_classes": "grass"}""", "must be an array of class names")]
    [InlineData("""{"classes": ["grass", "beetle", "leaf", "crystal", "slug", "tile"], "background_classes": ["moss"]}""", "background class 'moss' is not a class")]
    public void A_bad_background_classes_field_names_the_file(string json, string message)
    {
        using var tmp = new TempFolder();
        WriteAllLabelledFixture(tmp);
        File.WriteAllText(tmp.Combine("classes.json"), json);
        var e = Assert.Throws<InvalidDataException>(() => new MsrcDataset(tmp.Path));
        Assert.Contains("classes.json", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Data_source_rejects_a_split_or_background_classes_where_the_layout_has_no_place_for_them()
    {
        using var tmp = new TempFolder();
        WriteAllLabelledFixture(tmp);
        Assert.Equal("split", Assert.Throws<ArgumentException>(() => DataSource.Open(tmp.Path, "val")).ParamName);
        Assert.Equal("split", Assert.Throws<ArgumentException>(() => DataSource.Open(null, "val")).ParamName);
        Assert.Equal("backgroundClasses", Assert.Throws<ArgumentException>(() => DataSource.Open(null, backgroundClasses: ["grass"])).ParamName);
        Assert.Equal(4, DataSource.Open(tmp.Path, backgroundClasses: ["grass", "leaf"]).Info.NumLabels);
    }
}
