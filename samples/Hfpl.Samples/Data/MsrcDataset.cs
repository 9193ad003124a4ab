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
    private readonly int[]?[] _labelClasses;

    /// <summary>Opens the dataset folder <paramref name="root"/>.</summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/>, its images/ or (without a labels file) its masks/ folder is missing.</exception>
    /// <exception cref="FileNotFoundException">classes.json (needed without a labels file), the mask of an image (without a labels
    /// file), or an image the labels file lists is missing.</exception>
    /// <exception cref="InvalidDataException">classes.json or the labels file is malformed, images/ is empty, or two images share a name.</exception>
    /// <exception cref="ArgumentException">A background class is not a class of the dataset.</exception>
    /// <param name="root">The dataset folder.</param>
    /// <param name="backgroundClasses">Classes read as background; null for classes.json's <c>background_classes</c> (if any),
    /// empty for none.</param>
    /// <param name="labelsFile">An image-level labels file (<see cref="ImageLabelsFile"/>); null for <c>labels.csv</c> in the folder if it
    /// exists, else labels from the masks.</param>
    public MsrcDataset(string root, IReadOnlyCollection<string>? backgroundClasses = null, string? labelsFile = null)
        : this(Open(root, backgroundClasses, labelsFile)) { }

    private MsrcDataset(Opened opened) : base(opened.Info)
    {
        Root = opened.Root;
        Map = opened.Map;
        LabelsFile = opened.LabelsFile;
        _ids = opened.Ids;
        _imagePaths = opened.ImagePaths;
        _labelClasses = opened.LabelClasses;
        PreciseMaskIds = _ids.Where(id => File.Exists(PreciseMaskPath(id))).ToArray();
        MaskIds = _ids.Where(id => File.Exists(MaskPath(id))).ToArray();
    }

    private sealed record Opened(string Root, DatasetInfo Info, string[] Ids, string[] ImagePaths, BackgroundClassMap? Map, string? LabelsFile, int[]?[] LabelClasses);

    /// <summary>The dataset folder.</summary>
    public string Root { get; }

    /// <summary>How the classes on disk become <see cref="SegmentationDataset.Info"/>'s classes, or null when they are read as they are.</summary>
    public BackgroundClassMap? Map { get; }

    /// <summary>The image-level labels file the labels come from, or null when they come from the masks.</summary>
    public string? LabelsFile { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> Ids => _ids;

    /// <summary>Ids of the images that have a precise mask in <c>masks_hq/</c>.</summary>
    public IReadOnlyList<string> PreciseMaskIds { get; }

    /// <summary>Ids of the images that have a mask (all of them without a labels file).</summary>
    public IReadOnlyList<string> MaskIds { get; }

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
        var mask = File.Exists(maskPath) || _labelClasses[index] is null ? Mapped(MaskFile.Read(maskPath)) : null;
        var hqPath = PreciseMaskPath(id);
        var hq = File.Exists(hqPath) ? Mapped(MaskFile.Read(hqPath)) : null;
        return new SegmentationSample(id, image, mask, _labelClasses[index], Info, hq, _imagePaths[index], mask is null ? null : maskPath, hq is null ? null : hqPath);
    }

    private IndexMask Mapped(IndexMask mask) => Map is null ? mask : Map.Apply(mask);

    private static Opened Open(string root, IReadOnlyCollection<string>? backgroundClasses, string? labelsFile)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Dataset root folder not found: {root}");
        var imageDir = Path.Combine(root, "images");
        var maskDir = Path.Combine(root, "masks");
        if (!Directory.Exists(imageDir)) throw new DirectoryNotFoundException($"Image folder not found: {imageDir}");
        labelsFile ??= File.Exists(Path.Combine(root, ImageLabelsFile.DefaultName)) ? Path.Combine(root, ImageLabelsFile.DefaultName) : null;
        var entries = labelsFile is null ? null : ImageLabelsFile.Read(labelsFile);
        if (entries is null && !Directory.Exists(maskDir))
            throw new DirectoryNotFoundException($"Mask folder not found: {maskDir} (a folder without masks needs an image-level labels file, {ImageLabelsFile.DefaultName})");
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)));
        var classesPath = Path.Combine(root, "classes.json");
        var info = entries is not null && !File.Exists(classesPath) ? ImageLabelsFile.InferClasses(entries, name) : ReadClasses(classesPath, name);
        BackgroundClassMap? map = null;
        if (backgroundClasses is null)
        {
            var declared = File.Exists(classesPath) ? ReadBackgroundClasses(classesPath) : [];
            try { map = declared.Count > 0 ? new BackgroundClassMap(info, declared) : null; }
            catch (ArgumentException e) { throw new InvalidDataException($"{classesPath}: {e.Reason()}", e); }
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

        if (entries is null)
        {
            foreach (var id in ids)
            {
                var mask = Path.Combine(maskDir, id + ".png");
                if (!File.Exists(mask)) throw new FileNotFoundException($"Mask file not found for image '{id}': {mask}", mask);
            }
            return new Opened(root, map?.Info ?? info, ids, images, map, null, new int[]?[ids.Length]);
        }

        // With a labels file, the images are the ones it lists (in its order), and their labels are its classes.
        var byId = ids.Zip(images).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        var listedPaths = new string[entries.Count];
        var labelClasses = new int[]?[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (!byId.TryGetValue(entry.Id, out var imagePath))
                throw new FileNotFoundException($"{labelsFile}, line {entry.Line}: no image '{entry.Id}' (.png, .jpg, .jpeg, .bmp) in {imageDir}.", Path.Combine(imageDir, entry.Id));
            listedPaths[i] = imagePath;
            var classes = ImageLabelsFile.ClassIndices(entry, info, labelsFile!);
            labelClasses[i] = map is null ? classes : classes.Select(c => (int)map[c]).Where(c => c != 0).Distinct().ToArray();
        }
        return new Opened(root, map?.Info ?? info, entries.Select(e => e.Id).ToArray(), listedPaths, map, labelsFile, labelClasses);
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
