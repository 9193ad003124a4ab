using System.Text.Json;

namespace Hfpl.Samples.Data;

/// <summary>
/// Reads a folder in the MSRC-21 layout: <c>images/NAME.png</c> (or .jpg/.jpeg/.bmp), <c>masks/NAME.png</c>
/// (8-bit grayscale or indexed PNG of class indices, 255 void), <c>classes.json</c>, and optionally
/// <c>masks_hq/NAME.png</c>, precise-boundary masks for some images (<see cref="SegmentationSample.PreciseMask"/>).
/// Image-level labels are the classes present in the mask.
/// </summary>
/// <remarks>
/// <c>classes.json</c>: <c>{"classes": [names in index order], "ignore_index": 255, "has_background": false,
/// "background_classes": [names]}</c>; <c>ignore_index</c> defaults to 255 and <c>has_background</c> to false (MSRC-21 has
/// no background class; <see cref="MsrcLayoutWriter"/> writes true for the synthetic data, whose class 0 is background).
/// <c>background_classes</c> (optional), or the constructor's <c>backgroundClasses</c>, which takes precedence, reads
/// the named classes as class 0 "background" (<see cref="BackgroundClassMap"/>): masks, precise masks, labels and
/// <see cref="SegmentationDataset.Info"/> are all in the merged classes.
/// The constructor lists the files and checks that every image has its mask; reading a sample decodes
/// and checks it. Nothing is skipped: a problem is an exception naming the file.
/// </remarks>
public sealed class MsrcDataset : SegmentationDataset
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp"];
    private readonly string[] _ids;
    private readonly string[] _imagePaths;

    /// <summary>Opens the dataset folder <paramref name="root"/>.</summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/>, its images/ or its masks/ folder is missing.</exception>
    /// <exception cref="FileNotFoundException">classes.json or the mask of an image is missing.</exception>
    /// <exception cref="InvalidDataException">classes.json is malformed, images/ is empty, or two images share a name.</exception>
    /// <exception cref="ArgumentException">A background class is not a class of the dataset.</exception>
    /// <param name="root">The dataset folder.</param>
    /// <param name="backgroundClasses">Classes read as background; null for classes.json's <c>background_classes</c> (if any),
    /// empty for none.</param>
    public MsrcDataset(string root, IReadOnlyCollection<string>? backgroundClasses = null) : this(Open(root, backgroundClasses)) { }

    private MsrcDataset((string Root, DatasetInfo Info, string[] Ids, string[] ImagePaths, BackgroundClassMap? Map) opened) : base(opened.Info)
    {
        Root = opened.Root;
        Map = opened.Map;
        _ids = opened.Ids;
        _imagePaths = opened.ImagePaths;
        PreciseMaskIds = _ids.Where(id => File.Exists(PreciseMaskPath(id))).ToArray();
    }

    /// <summary>The dataset folder.</summary>
    public string Root { get; }

    /// <summary>How the classes on disk become <see cref="SegmentationDataset.Info"/>'s classes, or null when they are read as they are.</summary>
    public BackgroundClassMap? Map { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> Ids => _ids;

    /// <summary>Ids of the images that have a precise mask in <c>masks_hq/</c>.</summary>
    public IReadOnlyList<string> PreciseMaskIds { get; }

    /// <summary>The image file of sample <paramref name="index"/>.</summary>
    public string ImagePath(int index) => _imagePaths[index];

    /// <summary>The mask file of <paramref name="id"/>.</summary>
    public string MaskPath(string id) => Path.Combine(Root, "masks", id + ".png");

    /// <summary>The precise mask file of <paramref name="id"/> (it may not exist).</summary>
    public string PreciseMaskPath(string id) => Path.Combine(Root, "masks_hq", id + ".png");

    /// <inheritdoc />
    protected override SegmentationSample Read(int index)
    {
        var id = _ids[index];
        var image = ImageFile.ReadRgb(_imagePaths[index]);
        var maskPath = MaskPath(id);
        var mask = Mapped(MaskFile.Read(maskPath));
        var hqPath = PreciseMaskPath(id);
        var hq = File.Exists(hqPath) ? Mapped(MaskFile.Read(hqPath)) : null;
        return new SegmentationSample(id, image, mask, Info, hq, _imagePaths[index], maskPath, hq is null ? null : hqPath);
    }

    private IndexMask Mapped(IndexMask mask) => Map is null ? mask : Map.Apply(mask);

    private static (string, DatasetInfo, string[], string[], BackgroundClassMap?) Open(string root, IReadOnlyCollection<string>? backgroundClasses)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Dataset root folder not found: {root}");
        var imageDir = Path.Combine(root, "images");
        var maskDir = Path.Combine(root, "masks");
        if (!Directory.Exists(imageDir)) throw new DirectoryNotFoundException($"Image folder not found: {imageDir}");
        if (!Directory.Exists(maskDir)) throw new DirectoryNotFoundException($"Mask folder not found: {maskDir}");
        var classesPath = Path.Combine(root, "classes.json");
        var info = ReadClasses(classesPath, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))));
        BackgroundClassMap? map = null;
        if (backgroundClasses is null)
        {
            var declared = ReadBackgroundClasses(classesPath);
            try { map = declared.Count > 0 ? new BackgroundClassMap(info, declared) : null; }
            catch (ArgumentException e) { throw new InvalidDataException($"{classesPath}: {e.Message.Split(" (Parameter")[0]}", e); }
        }
        else if (backgroundClasses.Count > 0) map = new BackgroundClassMap(info, backgroundClasses);

        var images = Directory.EnumerateFiles(imageDir)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .OrderBy(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal)
            .ToArray();
        if (images.Length == 0) throw new InvalidDataException($"{imageDir}: no images (.png, .jpg, .jpeg, .bmp) found.");
        var ids = images.Select(f => Path.GetFileNameWithoutExtension(f)!).ToArray();
        for (var i = 1; i < ids.Length; i++)
            if (ids[i] == ids[i - 1])
                throw new InvalidDataException($"{imageDir}: two images are named '{ids[i]}' ({Path.GetFileName(images[i - 1])}, {Path.GetFileName(images[i])}).");
        foreach (var id in ids)
        {
            var mask = Path.Combine(maskDir, id + ".png");
            if (!File.Exists(mask)) throw new FileNotFoundException($"Mask file not found for image '{id}': {mask}", mask);
        }
        return (root, map?.Info ?? info, ids, images, map);
    }

    /// <summary>The <c>background_classes</c> of a classes.json file, or none.</summary>
    /// <exception cref="InvalidDataException">The field is not an array of strings; the message names the file.</exception>
    public static IReadOnlyList<string> ReadBackgroundClasses(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("background_classes", out var names)) return [];
            if (names.ValueKind != JsonValueKind.Array || names.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                throw new InvalidDataException($"{path}: \"background_classes\" must be an array of class names.");
            return names.EnumerateArray().Select(e => e.GetString()!).ToArray();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: malformed class list ({e.Message}).", e);
        }
    }

    /// <summary>Parses a classes.json file (see the class remarks).</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">The file is malformed; the message names it.</exception>
    public static DatasetInfo ReadClasses(string path, string datasetName)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Class list not found: {path}", path);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var rootElement = doc.RootElement;
            if (rootElement.ValueKind != JsonValueKind.Object || !rootElement.TryGetProperty("classes", out var classes)
                || classes.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}: expected an object with a \"classes\" array of names.");
            var names = classes.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String
                ? e.GetString()!
                : throw new InvalidDataException($"{path}: every entry of \"classes\" must be a string.")).ToArray();
            var ignore = rootElement.TryGetProperty("ignore_index", out var ig) ? ig.GetInt32() : DatasetInfo.DefaultIgnoreIndex;
            var background = rootElement.TryGetProperty("has_background", out var bg) && bg.GetBoolean();
            return new DatasetInfo(datasetName, names, background, ignore);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: malformed class list ({e.Message}).", e);
        }
    }
}
