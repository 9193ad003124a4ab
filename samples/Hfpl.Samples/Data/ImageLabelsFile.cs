namespace Hfpl.Samples.Data;

/// <summary>
/// Image-level labels without masks, the input of weakly-supervised training: a text file with one image per line,
/// <c>NAME,CLASS;CLASS;...</c>.
/// </summary>
/// <remarks>
/// <para>
/// NAME is the image's file name, with or without its extension (<c>2007_000032</c> or <c>2007_000032.jpg</c>). CLASS is a
/// class name of the dataset (<c>classes.json</c>, or VOC's 20 object classes); the list may be empty (an image of
/// background only). Spaces around names are ignored; blank lines and lines starting with <c>#</c> are skipped; a first
/// line <c>image,labels</c> is a header. Example:
/// </para>
/// <code>
/// image,labels
/// 2007_000032,aeroplane;person
/// 2007_000039,tvmonitor
/// </code>
/// <para>Every problem is an <see cref="InvalidDataException"/> naming the file and line.</para>
/// </remarks>
public static class ImageLabelsFile
{
    /// <summary>The file a dataset folder carries: <c>labels.csv</c>.</summary>
    public const string DefaultName = "labels.csv";

    /// <summary>One line of the file: the image name (extension removed) and its class names, 1-based line number.</summary>
    public sealed record Entry(string Id, IReadOnlyList<string> Classes, int Line);

    /// <summary>Reads and checks the file's syntax: names present, no image twice.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">A malformed line, an empty name or a repeated image.</exception>
    public static IReadOnlyList<Entry> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Image-level labels file not found: {path}", path);
        var entries = new List<Entry>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (entries.Count == 0 && seen.Count == 0 && line.Replace(" ", "").Equals("image,labels", StringComparison.OrdinalIgnoreCase)) continue;
            var comma = line.IndexOf(',');
            if (comma < 0 || line.IndexOf(',', comma + 1) >= 0)
                throw new InvalidDataException($"{path}, line {number}: expected 'NAME,CLASS;CLASS;...' (one comma), got '{raw}'.");
            var name = line[..comma].Trim();
            if (name.Length == 0) throw new InvalidDataException($"{path}, line {number}: the image name is empty.");
            var id = Path.GetExtension(name) is { Length: > 0 } ext && IsImageExtension(ext) ? Path.GetFileNameWithoutExtension(name) : name;
            if (seen.TryGetValue(id, out var first))
                throw new InvalidDataException($"{path}, line {number}: image '{id}' is listed twice (first on line {first}).");
            seen[id] = number;
            var classes = line[(comma + 1)..].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (classes.Distinct(StringComparer.Ordinal).Count() != classes.Length)
                throw new InvalidDataException($"{path}, line {number}: image '{id}' names a class twice.");
            entries.Add(new Entry(id, classes, number));
        }
        if (entries.Count == 0) throw new InvalidDataException($"{path}: no image is listed.");
        return entries;
    }

    /// <summary>The class indices of an entry in <paramref name="info"/>'s classes.</summary>
    /// <exception cref="InvalidDataException">A name is not an object class; the message names the file and line.</exception>
    public static int[] ClassIndices(Entry entry, DatasetInfo info, string path) => entry.Classes.Select(name =>
    {
        var index = info.ClassNames.ToList().IndexOf(name);
        if (index < 0 || (info.HasBackground && index == 0))
            throw new InvalidDataException($"{path}, line {entry.Line}: '{name}' is not an object class of {info.Name} " +
                                           $"({string.Join(", ", info.ClassNames.Skip(info.HasBackground ? 1 : 0))}).");
        return index;
    }).ToArray();

    /// <summary>Classes for a folder that has a labels file but no classes.json: background, then every name the file uses, sorted.</summary>
    public static DatasetInfo InferClasses(IReadOnlyList<Entry> entries, string datasetName)
    {
        var names = entries.SelectMany(e => e.Classes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (names.Length == 0) throw new InvalidDataException($"the labels file of {datasetName} names no class.");
        if (names.Contains("background")) throw new InvalidDataException($"the labels file of {datasetName} names 'background': list object classes only.");
        return new DatasetInfo(datasetName, ["background", .. names], hasBackground: true);
    }

    static bool IsImageExtension(string extension) =>
        extension.ToLowerInvariant() is ".png" or ".jpg" or ".jpeg" or ".bmp";
}
