using System.CommandLine;
using Hfpl.Samples.Data;
using Hfpl.Samples.Experiments;

namespace Hfpl.Cli.Options;

/// <summary>Where the data is and how to read it: --data, --split, --background-classes.</summary>
public sealed class DataOptions
{
    /// <summary>Declares the options; <paramref name="dataDescription"/> says what --data means for the command.</summary>
    public DataOptions(string dataDescription, bool required)
    {
        Data = OptionFactory.Text("--data", dataDescription);
        Data.Required = required;
    }

    /// <summary>--data DIR.</summary>
    public Option<string?> Data { get; }

    /// <summary>--split NAME (VOC only).</summary>
    public Option<string?> Split { get; } = OptionFactory.Text("--split", "VOC 2012 split list (train, val, trainval; default train); only VOC folders have splits");

    /// <summary>--background-classes NAME,...</summary>
    public Option<string?> BackgroundClasses { get; } = OptionFactory.Text("--background-classes",
        "MSRC-layout folder: read these classes as class 0 \"background\" (default: classes.json's \"background_classes\", if any; " +
        "'none' reads every class as it is), e.g. MSRC-21 as 15 objects on background: building,grass,tree,sky,water,road");

    /// <summary>--labels FILE.</summary>
    public Option<string?> Labels { get; } = OptionFactory.Text("--labels",
        "image-level labels file, one image per line: NAME,CLASS;CLASS (default: DIR/labels.csv if it exists, else labels from the masks). " +
        "With it, masks are optional: training reads the labels, scoring the images that have masks");

    /// <summary>The four options, to add to a command.</summary>
    public IEnumerable<Option> All => [Data, Split, BackgroundClasses, Labels];

    /// <summary>The --data folder, checked to exist; null when absent.</summary>
    public string? Folder(ParseResult result, string command)
    {
        if (result.GetValue(Data) is not { } path) return null;
        if (!Directory.Exists(path)) throw new UsageException($"{command}: --data folder '{path}' does not exist");
        return path;
    }

    /// <summary>Opens the data (synthetic when <paramref name="folder"/> is null), naming the option at fault.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <param name="command">The command, for messages.</param>
    /// <param name="folder">The checked --data folder, or null for the built-in data.</param>
    /// <param name="defaultBackground">Background classes to use when --background-classes is absent (a checkpoint's), or null.</param>
    /// <param name="syntheticSize">Side of the built-in data's images.</param>
    public SegmentationDataset Open(ParseResult result, string command, string? folder, IReadOnlyList<string>? defaultBackground = null, int syntheticSize = 96)
    {
        var background = result.GetValue(BackgroundClasses) switch
        {
            "none" => [],
            { } text => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            null => defaultBackground,
        };
        try
        {
            return DataSource.Open(folder, result.GetValue(Split), backgroundClasses: background, labelsFile: result.GetValue(Labels), syntheticSize: syntheticSize);
        }
        catch (ArgumentException e) when (e.ParamName is "split" or "backgroundClasses" or "path" or "labelsFile")
        {
            var option = e.ParamName switch { "split" => "--split", "path" => "--data", "labelsFile" => "--labels", _ => "--background-classes" };
            throw new UsageException($"{command}: {option}: {e.Reason()}");
        }
    }
}
