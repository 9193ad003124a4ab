using Hfpl.Samples.Data;

namespace Hfpl.Samples.Experiments;

/// <summary>Opens a dataset by folder layout, or the built-in synthetic data when no folder is given.</summary>
public static class DataSource
{
    /// <summary>
    /// A PASCAL VOC 2012 folder (it has <c>JPEGImages/</c>), an MSRC-layout folder (<c>images/</c>, <c>masks/</c>,
    /// <c>classes.json</c>), or, with a null path, the seeded synthetic dataset.
    /// </summary>
    /// <param name="path">The folder, or null.</param>
    /// <param name="split">VOC split name (train, val, trainval).</param>
    /// <param name="syntheticSeed">Seed of the synthetic data.</param>
    /// <param name="syntheticCount">Images of synthetic data.</param>
    public static SegmentationDataset Open(string? path, string split = "train", int syntheticSeed = 0, int syntheticCount = 400)
    {
        if (path is null) return new SyntheticDataset(new SyntheticOptions { Seed = syntheticSeed, Count = syntheticCount });
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"Data folder '{path}' does not exist.");
        if (Directory.Exists(Path.Combine(path, "JPEGImages"))) return new VocDataset(path, split);
        if (Directory.Exists(Path.Combine(path, "images"))) return new MsrcDataset(path);
        throw new InvalidDataException($"'{path}' is neither a VOC 2012 folder (JPEGImages/, SegmentationClass/) nor an MSRC-layout folder (images/, masks/, classes.json).");
    }
}
