using System.CommandLine;
using System.Globalization;
using Hfpl.Losses;
using Hfpl.Samples.Baselines;

namespace Hfpl.Cli.Options;

/// <summary>The "++" add-on's hyper-parameters (saved with each checkpoint); the defaults are <see cref="AddOnSettings"/>'s.</summary>
public sealed class AddOnOptionSet
{
    static readonly AddOnSettings Defaults = new();

    /// <summary>--is-lambda X.</summary>
    public Option<double?> Lambda { get; } = OptionFactory.Double("--is-lambda",
        $"importance sampling share of the classification loss (default {PhotographLambda.ToString(CultureInfo.InvariantCulture)} with --data: a small " +
        $"share keeps the maps off an object's usual context, a larger one collapses them to spots on MSRC photographs, see samples/README.md; " +
        $"{Defaults.Lambda} on the built-in data, the paper's)", null, 0, 1);
    /// <summary>--fsl-weight X.</summary>
    public Option<double?> Weight { get; } = OptionFactory.Double("--fsl-weight",
        $"weight of the feature similarity loss, 0 switches it off (default with --data: the baseline's, " +
        $"{TrainingOptionSet.PerBaseline(n => WsssBaselines.Photographs(n).FslWeight)}; {Defaults.FslWeight} on the built-in data)", null, 0, 1000);
    /// <summary>--fsl-sigma X|Npx|none.</summary>
    public Option<string?> Sigma { get; } = OptionFactory.Text("--fsl-sigma",
        "spatial kernel width: cells of the FSL grid (5), input pixels (40px: converted with the output stride and grid factor), " +
        $"or 'none' for the uniform kernel (default {PhotographSigma} with --data, the paper's 5 cells of 8 pixels; {DefaultSigma()} cells on the built-in data)");
    /// <summary>--fsl-window R.</summary>
    public Option<int?> Window { get; } = OptionFactory.Int("--fsl-window", "windowed FSL of radius R cells (default: the exact loss over all pairs)", null, 1, 4096);
    /// <summary>--fsl-features bilinear|area.</summary>
    public Option<string?> Features { get; } = OptionFactory.Choice("--fsl-features", "how colours are resized to the FSL grid: bilinear as in the paper, or area averaging",
        Defaults.Features == FeatureResize.Area ? "area" : "bilinear", ["bilinear", "area"]);
    /// <summary>--fsl-grid-factor N.</summary>
    public Option<int?> GridFactor { get; } = OptionFactory.Int("--fsl-grid-factor",
        "the FSL runs on the CAM logits upsampled by this factor (default with --data: output stride / 8, so that cells are the " +
        "paper's 8 pixels, 2 at stride 16; 1 on the built-in data)", null, 1, 16);

    /// <summary>--fsl-gradient exact|straight-through.</summary>
    public Option<string?> Gradient { get; } = OptionFactory.Choice("--fsl-gradient",
        "gradient of the FSL predictions' max-normalisation: exact (the paper's: the FSL can only shrink a map's support) or " +
        $"straight-through (the same loss; the FSL can also grow a map into like-coloured cells); default {PhotographGradient} with --data " +
        "(it won over 3 MSRC seeds, see samples/README.md), exact on the built-in data", null, ["exact", "straight-through"]);

    /// <summary>--fsl-on logits|refined.</summary>
    public Option<string?> FslOn { get; } = OptionFactory.Choice("--fsl-on",
        "the maps the FSL acts on: the CAM logits (the paper's) or, for SEAM, the PCM-refined maps that its inference reads (the FSL then " +
        "trains the PCM's affinity, not the classifier); no effect on CAM", "logits", ["logits", "refined"]);

    /// <summary>--is-mask-padding [true|false].</summary>
    public Option<bool?> MaskPadding { get; } = new("--is-mask-padding")
    {
        Description = "importance sampling never draws the padded cells of a crop (default: true with --data, false on the built-in data; " +
                      "the paper draws every cell)",
        Arity = System.CommandLine.ArgumentArity.ZeroOrOne,
    };

    /// <summary>λ with --data: 0.05, the winner of the MSRC ranking in samples/README.md (0, 0.05, 0.1 and 0.2 were run): at 0 the feature
    /// similarity loss spreads a map that leans on context (grass for cows) further over the context; at 0.1 and above the sampled-pixel
    /// loss shrinks the maps of the other seeds.</summary>
    public const double PhotographLambda = 0.05;

    /// <summary>The max_norm gradient with --data: straight-through (CAM++ beat CAM over 3 MSRC seeds with it, and lost with the exact one).</summary>
    public const string PhotographGradient = "straight-through";

    /// <summary>σ with --data: the paper's 40 pixels (5 cells of 8 pixels).</summary>
    public const string PhotographSigma = "40px";

    /// <summary>The FSL grid factor that gives cells of the paper's 8 pixels at <paramref name="outputStride"/> (1 below stride 16).</summary>
    public static int EightPixelFactor(int outputStride) => Math.Max(1, outputStride / 8);

    static string DefaultSigma() => Defaults.Sigma is { } s ? s.ToString(CultureInfo.InvariantCulture) : "none";

    /// <summary>Every option, to add to a command.</summary>
    public IEnumerable<Option> All => [Lambda, Weight, Sigma, Window, Features, GridFactor, Gradient, FslOn, MaskPadding];

    /// <summary>The first add-on option the user gave, or null.</summary>
    public Option? FirstGiven(ParseResult result) => All.FirstOrDefault(result.Given);

    /// <summary>
    /// The settings; σ given in pixels becomes cells of the FSL grid at <paramref name="outputStride"/>. Photographs (<paramref name="synthetic"/>
    /// false) default to the paper's 8-pixel cells and 40-pixel σ whatever the stride, λ <see cref="PhotographLambda"/> with padding left out of
    /// the draw, and the straight-through max_norm gradient; the built-in data to the paper's λ 0.2, σ 5 on the logits' grid and the exact gradient.
    /// </summary>
    /// <remarks>The FSL weight defaults to <paramref name="baseline"/>'s <see cref="WsssBaselines.Photographs"/> on photographs.</remarks>
    public AddOnSettings Resolve(ParseResult result, string command, int outputStride, bool synthetic, string baseline)
    {
        var factor = result.GetValue(GridFactor) ?? (synthetic ? Defaults.GridFactor : EightPixelFactor(outputStride));
        var text = result.GetValue(Sigma) ?? (synthetic ? DefaultSigma() : PhotographSigma);
        double? sigma;
        if (text == "none") sigma = null;
        else if (text.EndsWith("px", StringComparison.Ordinal) && Number(text[..^2]) is { } pixels) sigma = losses.sigma_in_cells(pixels, outputStride, factor);
        else if (Number(text) is { } cells && cells >= 1e-3 && cells <= 1e6) sigma = cells;
        else throw new UsageException($"{command}: --fsl-sigma must be a positive number of cells, a number of pixels such as 40px, or none, got '{text}'");
        return new AddOnSettings(
            Lambda: result.GetValue(Lambda) ?? (synthetic ? Defaults.Lambda : PhotographLambda),
            FslWeight: result.GetValue(Weight) ?? (synthetic ? Defaults.FslWeight : WsssBaselines.Photographs(baseline).FslWeight),
            Sigma: sigma,
            WindowRadius: result.GetValue(Window),
            Features: result.GetValue(Features) == "area" ? FeatureResize.Area : FeatureResize.Bilinear,
            GridFactor: factor,
            MaskSampling: result.GetValue(MaskPadding) ?? !synthetic,
            Gradient: (result.GetValue(Gradient) ?? (synthetic ? "exact" : PhotographGradient)) == "straight-through"
                ? MaxNormGradient.StraightThrough : MaxNormGradient.Exact,
            FslOnRefined: result.GetValue(FslOn) == "refined");
    }

    static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v) ? v : null;

    /// <summary>Writes one note line to <paramref name="error"/> when the "++" variant is about to be trained on data without a
    /// background class: the add-on is made for objects on a background, and on MSRC-21 read as its 21 classes CAM++ lost to CAM.
    /// Training goes on; the note names the option that reads stuff classes as background.</summary>
    public static void NoteWithoutBackground(Hfpl.Samples.Data.DatasetInfo info, string command, TextWriter error)
    {
        if (!info.HasBackground)
            error.WriteLine($"hfpl {command}: note: {info.Name} has no background class; the add-on is made for objects on a background " +
                            "and lost to the plain baseline on MSRC-21 read as its 21 classes (README, 'Objects on a background'); " +
                            "--background-classes NAME,... reads stuff classes as background");
    }
}
