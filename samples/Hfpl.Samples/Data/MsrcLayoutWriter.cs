using System.Text.Json;

namespace Hfpl.Samples.Data;

/// <summary>
/// Writes samples as a folder in the layout <see cref="MsrcDataset"/> reads: <c>images/ID.png</c> (RGB),
/// <c>masks/ID.png</c> (8-bit grayscale class indices), <c>masks_hq/ID.png</c> for samples with a precise
/// mask, and <c>classes.json</c>. Existing files of the same names are overwritten.
/// </summary>
public static class MsrcLayoutWriter
{
    /// <summary>Writes every sample of <paramref name="dataset"/> under <paramref name="root"/>.</summary>
    public static void Write(SegmentationDataset dataset, string root)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Write(dataset, dataset.Info, root);
    }

    /// <summary>Writes <paramref name="samples"/> of the dataset described by <paramref name="info"/> under <paramref name="root"/>.</summary>
    public static void Write(IEnumerable<SegmentationSample> samples, DatasetInfo info, string root)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(root);
        Directory.CreateDirectory(Path.Combine(root, "images"));
        Directory.CreateDirectory(Path.Combine(root, "masks"));
        WriteClasses(Path.Combine(root, "classes.json"), info);
        foreach (var s in samples)
        {
            if (s.Info.NumClasses != info.NumClasses)
                throw new ArgumentException($"sample '{s.Id}' has {s.Info.NumClasses} classes, the dataset {info.NumClasses}.", nameof(samples));
            PngWriter.WriteRgb(Path.Combine(root, "images", s.Id + ".png"), s.Image);
            PngWriter.WriteGray(Path.Combine(root, "masks", s.Id + ".png"), s.Mask);
            if (s.PreciseMask is not null) PngWriter.WriteGray(Path.Combine(root, "masks_hq", s.Id + ".png"), s.PreciseMask);
        }
    }

    /// <summary>Writes a classes.json: class names, ignore index and whether class 0 is background.</summary>
    public static void WriteClasses(string path, DatasetInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["classes"] = info.ClassNames,
            ["ignore_index"] = info.IgnoreIndex,
            ["has_background"] = info.HasBackground,
        }, new JsonSerializerOptions { WriteIndented = true });
        File.WriteAllText(path, json + "\n");
    }
}
