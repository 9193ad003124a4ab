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
    /// <param name="split">VOC split name (train, val, trainval); null for train. Only VOC folders have splits.</param>
    /// <param name="syntheticSeed">Seed of the synthetic data.</param>
    /// <param name="syntheticCount">Images of synthetic data.</param>
    /// <param name="backgroundClasses">MSRC layout: classes read as background (<see cref="BackgroundClassMap"/>); null for
    /// classes.json's own <c>background_classes</c>.</param>
    /// <exception cref="ArgumentException">A folder that is no dataset (parameter <c>path</c>), a split for a layout without splits, or background classes for a layout that
    /// does not take them or that name no class; the parameter name says which.</exception>
    /// <param name="syntheticSize">Side of the synthetic images in pixels (96 for the demo).</param>
    /// <param name="labelsFile">An image-level labels file (<see cref="ImageLabelsFile"/>); null for the folder's own <c>labels.csv</c> (MSRC
    /// layout) or labels from the masks.</param>
    public static SegmentationDataset Open(string? path, string? split = null, int syntheticSeed = 0, int syntheticCount = 400,
        IReadOnlyCollection<string>? backgroundClasses = null, string? labelsFile = null, int syntheticSize = 96)
    {
        if (labelsFile is not null && !File.Exists(labelsFile)) throw new ArgumentException($"labels file '{labelsFile}' does not exist.", nameof(labelsFile));
        if (path is null)
        {
            if (labelsFile is not null) throw new ArgumentException("the built-in synthetic data has its labels.", nameof(labelsFile));
            if (split is not null) throw new ArgumentException("the built-in synthetic data has no splits.", nameof(split));
            if (backgroundClasses is { Count: > 0 }) throw new ArgumentException("the built-in synthetic data already has a background class.", nameof(backgroundClasses));
            return new SyntheticDataset(new SyntheticOptions { Seed = syntheticSeed, Count = syntheticCount, Width = syntheticSize, Height = syntheticSize });
        }
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"Data folder '{path}' does not exist.");
        if (Directory.Exists(Path.Combine(path, "JPEGImages")))
        {
            if (backgroundClasses is { Count: > 0 }) throw new ArgumentException("a VOC folder already has a background class.", nameof(backgroundClasses));
            if (labelsFile is not null && split is not null) throw new ArgumentException("a labels file lists the images itself: give it or a split, not both.", nameof(split));
            return new VocDataset(path, split ?? "train", labelsFile);
        }
        if (Directory.Exists(Path.Combine(path, "images")))
        {
            if (split is not null) throw new ArgumentException($"'{path}' is an MSRC-layout folder, which has no splits.", nameof(split));
            return new MsrcDataset(path, backgroundClasses, labelsFile);
        }
        throw new ArgumentException($"'{path}' is neither a VOC 2012 folder (JPEGImages/, SegmentationClass/) nor an MSRC-layout folder (images/, masks/, classes.json).", nameof(path));
    }
}
