namespace Hfpl.Samples.Data;

/// <summary>
/// Reads PASCAL VOC 2012 segmentation data: <c>JPEGImages/ID.jpg</c>, <c>SegmentationClass/ID.png</c> and
/// the split lists <c>ImageSets/Segmentation/{split}.txt</c> (train, val, trainval).
/// </summary>
/// <remarks>
/// The VOC masks are palette PNGs whose pixel values are palette indices 0..20 and 255 (object borders and
/// difficult regions). They are read as indices by <see cref="IndexPngReader"/>, not as colours; a mask
/// re-saved as RGB is mapped back through <see cref="LabelPalette.Voc"/>. Class 0 is background, so the
/// image-level labels are the K = 20 object classes present in the mask.
/// <para>
/// With an image-level labels file (<see cref="ImageLabelsFile"/>, e.g. the 10,582 <c>train_aug</c> images), the images are the
/// ones it lists and their labels are its classes; a mask is read where <c>SegmentationClass/ID.png</c> exists (the 1,464
/// <c>train</c> images), so training uses every listed image and scoring the ones with masks.
/// </para>
/// </remarks>
public sealed class VocDataset : SegmentationDataset
{
    private readonly string[] _ids;
    private readonly int[]?[] _labelClasses;

    /// <summary>Opens split <paramref name="split"/> under <paramref name="root"/>, the <c>VOC2012</c> folder
    /// (a <c>VOCdevkit</c> folder that holds <c>VOC2012</c> is accepted too).</summary>
    /// <exception cref="DirectoryNotFoundException">The root or one of its folders is missing.</exception>
    /// <exception cref="FileNotFoundException">The split list, or an image or mask it names, is missing.</exception>
    /// <exception cref="InvalidDataException">The split list is empty.</exception>
    /// <param name="root">The VOC2012 folder.</param>
    /// <param name="split">The split list, when there is no labels file.</param>
    /// <param name="labelsFile">An image-level labels file, or null for the split list's images with labels from their masks.</param>
    public VocDataset(string root, string split = "train", string? labelsFile = null) : base(DatasetInfo.Voc2012)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(split);
        if (split.IndexOfAny([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]) >= 0 || split.Contains(".."))
            throw new ArgumentException($"split must be a plain name such as train, val or trainval, got '{split}'.", nameof(split));
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Dataset root folder not found: {root}");
        if (!Directory.Exists(Path.Combine(root, "JPEGImages")) && Directory.Exists(Path.Combine(root, "VOC2012", "JPEGImages")))
            root = Path.Combine(root, "VOC2012");
        foreach (var dir in new[] { "JPEGImages", "SegmentationClass" })
            if (!Directory.Exists(Path.Combine(root, dir)))
                throw new DirectoryNotFoundException($"VOC folder not found: {Path.Combine(root, dir)}");

        Root = root;
        Split = split;
        LabelsFile = labelsFile;
        if (labelsFile is not null)
        {
            var entries = ImageLabelsFile.Read(labelsFile);
            _ids = entries.Select(e => e.Id).ToArray();
            _labelClasses = entries.Select(e => (int[]?)ImageLabelsFile.ClassIndices(e, Info, labelsFile)).ToArray();
            foreach (var entry in entries)
                if (!File.Exists(ImagePath(entry.Id)))
                    throw new FileNotFoundException($"{labelsFile}, line {entry.Line}: image not found: {ImagePath(entry.Id)}", ImagePath(entry.Id));
            return;
        }

        var list = Path.Combine(root, "ImageSets", "Segmentation", split + ".txt");
        if (!File.Exists(list)) throw new FileNotFoundException($"Split list '{split}' not found: {list}", list);
        _ids = File.ReadLines(list)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0)
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0])
            .ToArray();
        if (_ids.Length == 0) throw new InvalidDataException($"{list}: the split list is empty.");
        _labelClasses = new int[]?[_ids.Length];
        foreach (var id in _ids)
        {
            if (!File.Exists(ImagePath(id))) throw new FileNotFoundException($"Image of '{id}' (listed in {list}) not found: {ImagePath(id)}", ImagePath(id));
            if (!File.Exists(MaskPath(id))) throw new FileNotFoundException($"Mask of '{id}' (listed in {list}) not found: {MaskPath(id)}", MaskPath(id));
        }
    }

    /// <summary>The image-level labels file, or null when labels come from the masks.</summary>
    public string? LabelsFile { get; }

    /// <summary>The VOC2012 folder.</summary>
    public string Root { get; }

    /// <summary>The split name.</summary>
    public string Split { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> Ids => _ids;

    /// <summary>The JPEG of <paramref name="id"/>.</summary>
    public string ImagePath(string id) => Path.Combine(Root, "JPEGImages", id + ".jpg");

    /// <summary>The mask of <paramref name="id"/>.</summary>
    public string MaskPath(string id) => Path.Combine(Root, "SegmentationClass", id + ".png");

    /// <inheritdoc />
    protected override SegmentationSample Read(int index)
    {
        var id = _ids[index];
        var image = ImageFile.ReadRgb(ImagePath(id));
        var mask = _labelClasses[index] is null || File.Exists(MaskPath(id)) ? MaskFile.Read(MaskPath(id), LabelPalette.Voc) : null;
        return new SegmentationSample(id, image, mask, _labelClasses[index], Info, imagePath: ImagePath(id), maskPath: mask is null ? null : MaskPath(id));
    }
}
