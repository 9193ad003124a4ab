using Hfpl.Samples.Data;

namespace Hfpl.Samples.Tests.Data;

public class ImageLabelsFileTests
{
    static string Write(TempFolder tmp, string text)
    {
        var path = tmp.Combine("labels.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Reads_names_with_or_without_extension_a_header_comments_and_empty_label_lists()
    {
        using var tmp = new TempFolder();
        var entries = ImageLabelsFile.Read(Write(tmp, "image,labels\n# a comment\n2007_000032.jpg, aeroplane ; person\n\n2007_000039,tvmonitor\nempty,\n"));
        Assert.Equal(["2007_000032", "2007_000039", "empty"], entries.Select(e => e.Id));
        Assert.Equal(["aeroplane", "person"], entries[0].Classes);
        Assert.Empty(entries[2].Classes);
        Assert.Equal(3, entries[0].Line);
    }

    [Theory]
    [InlineData("a.png,cat\nb.png\n", "line 2: expected 'NAME,CLASS;CLASS;...'")]
    [InlineData("a,cat\na.jpg,dog\n", "line 2: image 'a' is listed twice (first on line 1)")]
    [InlineData("a,cat;cat\n", "line 1: image 'a' names a class twice")]
    [InlineData(" ,cat\n", "line 1: the image name is empty")]
    [InlineData("a,cat,dog\n", "line 1: expected 'NAME,CLASS;CLASS;...' (one comma)")]
    [InlineData("# nothing\n", "no image is listed")]
    public void Malformed_files_name_the_file_and_line(string text, string message)
    {
        using var tmp = new TempFolder();
        var path = Write(tmp, text);
        var e = Assert.Throws<InvalidDataException>(() => ImageLabelsFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Class_names_must_be_object_classes_of_the_dataset()
    {
        using var tmp = new TempFolder();
        var path = Write(tmp, "a,cat;sofa\nb,background\nc,unicorn\n");
        var entries = ImageLabelsFile.Read(path);
        Assert.Equal([8, 18], ImageLabelsFile.ClassIndices(entries[0], DatasetInfo.Voc2012, path));
        Assert.Contains("line 2: 'background' is not an object class of voc2012", Assert.Throws<InvalidDataException>(() => ImageLabelsFile.ClassIndices(entries[1], DatasetInfo.Voc2012, path)).Message);
        Assert.Contains("line 3: 'unicorn'", Assert.Throws<InvalidDataException>(() => ImageLabelsFile.ClassIndices(entries[2], DatasetInfo.Voc2012, path)).Message);
    }

    /// <summary>A folder of photographs with image-level labels only: images/ and labels.csv, no masks, no classes.json.</summary>
    public static (string Root, SyntheticDataset Source) LabelsOnlyFolder(TempFolder tmp, int count = 6, bool masks = false)
    {
        var synthetic = new SyntheticDataset(new SyntheticOptions { Seed = 9, Count = count, Width = 48, Height = 40 });
        synthetic.WriteMsrcLayout(tmp.Path);
        var lines = synthetic.Select(s => s.Id + ".png," + string.Join(";", s.PresentClasses.Where(c => c != 0).Select(c => synthetic.Info.ClassNames[c])));
        File.WriteAllLines(tmp.Combine("labels.csv"), ["image,labels", .. lines]);
        File.Delete(tmp.Combine("classes.json"));
        if (!masks) Directory.Delete(tmp.Combine("masks"), recursive: true);
        return (tmp.Path, synthetic);
    }

    [Fact]
    public void A_folder_with_a_labels_file_needs_no_masks_and_no_class_list()
    {
        using var tmp = new TempFolder();
        var (root, source) = LabelsOnlyFolder(tmp);
        var dataset = new MsrcDataset(root);
        // Classes: background, then the names the file uses, sorted.
        var used = source.SelectMany(s => s.PresentClasses).Where(c => c != 0).Distinct().Select(c => source.Info.ClassNames[c]).Order(StringComparer.Ordinal);
        Assert.Equal(["background", .. used], dataset.Info.ClassNames);
        Assert.True(dataset.Info.HasBackground);
        Assert.Empty(dataset.MaskIds);
        for (var i = 0; i < dataset.Count; i++)
        {
            var sample = dataset[i];
            Assert.False(sample.HasMask);
            Assert.Throws<InvalidOperationException>(() => sample.Mask);
            var names = source[i].PresentClasses.Where(c => c != 0).Select(c => source.Info.ClassNames[c]).ToHashSet();
            Assert.Equal(dataset.Info.ClassNames.Skip(1).Select(n => names.Contains(n) ? 1f : 0f), sample.Labels);
        }
    }

    [Fact]
    public void With_masks_beside_a_labels_file_the_labels_come_from_the_file_and_the_masks_are_kept_for_scoring()
    {
        using var tmp = new TempFolder();
        var (root, source) = LabelsOnlyFolder(tmp, masks: true);
        File.WriteAllText(tmp.Combine("classes.json"), """{"classes": ["background", "beetle", "leaf", "crystal", "slug", "tile"], "has_background": true}""");
        // Image 0 is relabelled in the file: the file wins for training labels, the mask stays for scoring.
        var lines = File.ReadAllLines(tmp.Combine("labels.csv"));
        lines[1] = source[0].Id + ",tile";
        File.WriteAllLines(tmp.Combine("labels.csv"), lines);
        var dataset = new MsrcDataset(root);
        Assert.Equal(source.Count, dataset.MaskIds.Count);
        Assert.True(dataset[0].HasMask);
        Assert.Equal([0f, 0f, 0f, 0f, 1f], dataset[0].Labels);
        Assert.Equal(source[0].Mask.Values, dataset[0].Mask.Values);
    }

    [Fact]
    public void A_listed_image_that_does_not_exist_names_the_labels_file_line()
    {
        using var tmp = new TempFolder();
        var (root, _) = LabelsOnlyFolder(tmp);
        File.AppendAllText(tmp.Combine("labels.csv"), "ghost,beetle\n");
        var e = Assert.Throws<FileNotFoundException>(() => new MsrcDataset(root));
        Assert.Contains("labels.csv, line 8: no image 'ghost'", e.Message);
    }
}
