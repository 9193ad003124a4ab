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
/// </remarks>
public sealed class VocDataset : SegmentationDataset
{
    private readonly string[] _ids;

    /// <summary>Opens split <paramref name="split"/> under <paramref name="root"/>, the <c>VOC2012</c> folder
    /// (a <c>VOCdevkit</c> folder that holds <c>VOC2012</c> is accepted too).</summary>
    /// <exception cref="DirectoryNotFoundException">The root or one of its folders is missing.</exception>
    /// <exception cref="FileNotFoundException">The split list, or an image or mask it names, is missing.</exception>
    /// <exception cref="InvalidDataException">The split list is empty.</exception>
    public VocDataset(string root, string split = "train") : base(DatasetInfo.Voc2012)
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

        var list = Path.Combine(root, "ImageSets", "Segmentation", split + ".txt");
        if (!File.Exists(list)) throw new FileNotFoundException($"Split list '{split}' not found: {list}", list);
        _ids = File.ReadLines(list)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0)
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0])
            .ToArray();
        if (_ids.Length == 0) throw new InvalidDataException($"{list}: the split list is empty.");

        Root = root;
        Split = split;
        foreach (var id in _ids)
        {
            if (!File.Exists(ImagePath(id))) throw new FileNotFoundException($"Image of '{id}' (listed in {list}) not found: {ImagePath(id)}", ImagePath(id));
            if (!File.Exists(MaskPath(id))) throw new FileNotFoundException($"Mask of '{id}' (listed in {list}) not found: {MaskPath(id)}", MaskPath(id));
        }
    }

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
        var mask = MaskFile.Read(MaskPath(id), LabelPalette.Voc);
        return new SegmentationSample(id, image, mask, Info, imagePath: ImagePath(id), maskPath: MaskPath(id));
    }
}
