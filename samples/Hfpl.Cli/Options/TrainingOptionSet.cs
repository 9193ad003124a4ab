using System.CommandLine;
using System.Globalization;
using Hfpl.Samples.Baselines;
using Hfpl.Samples.Backbones;
using Hfpl.Samples.Training;

namespace Hfpl.Cli.Options;

/// <summary>
/// The training options shared by demo and train. Defaults depend on the data: the built-in synthetic data trains the small
/// CNN on 96-pixel crops, a data folder the pretrained ResNet-18 on 224-pixel crops.
/// </summary>
public sealed class TrainingOptionSet
{
    /// <summary>--steps N.</summary>
    public Option<int?> Steps { get; } = OptionFactory.Int("--steps",
        $"optimisation steps (default with --data: the baseline's, {PerBaseline(n => WsssBaselines.Photographs(n).Steps)}; 300 on the built-in data)", null, 1, 1_000_000);
    /// <summary>--batch N.</summary>
    public Option<int?> Batch { get; } = OptionFactory.Int("--batch", "images per step (default 8 with --data, 16 on the built-in data)", null, 1, 1024);
    /// <summary>--crop N.</summary>
    public Option<int?> Crop { get; } = OptionFactory.Int("--crop", "side of the square training crop in pixels (default 224 with --data, 96 on the built-in data); " +
        "each photograph is first rescaled so that its long side is crop to 12/7 crop pixels", null, 16, 4096);
    /// <summary>--lr X.</summary>
    public Option<double?> LearningRate { get; } = OptionFactory.Double("--lr", "base learning rate (new layers: 10x)", 0.01, 1e-6, 10);
    /// <summary>--clip-grad-norm X|none.</summary>
    public Option<string?> ClipGradNorm { get; } = OptionFactory.Text("--clip-grad-norm",
        "scale each step's gradient down to this L2 norm over all parameters when it is longer, or 'none' (default with --data: the " +
        $"baseline's, {PerBaseline(n => WsssBaselines.Photographs(n).MaxGradientNorm?.ToString(CultureInfo.InvariantCulture) ?? "none")}; " +
        "none on the built-in data; samples/README.md, Sessions 19-20: a few long steps killed a CAM++ seed's maps at FSL weight 2)");
    /// <summary>--seed N.</summary>
    public Option<int?> Seed { get; } = OptionFactory.Int("--seed", "seed of initialisation, augmentation, batch order, dropout and sampling", 0, 0, int.MaxValue);
    /// <summary>--backbone NAME.</summary>
    public Option<string?> Backbone { get; } = OptionFactory.Choice("--backbone", "feature extractor (default resnet18 with --data, small on the built-in data)", null, Backbones.Names);
    /// <summary>--output-stride N.</summary>
    public Option<int?> OutputStride { get; } = OptionFactory.Int("--output-stride", "backbone output stride (resnet18: 8, 16, 32, default 16; small: 4, 8)", null, 4, 32);

    /// <summary>--scale-range MIN,MAX.</summary>
    public Option<string?> ScaleRange { get; } = OptionFactory.Text("--scale-range",
        "training rescale before cropping: 'crop' draws each image's long side from crop..12/7 crop pixels, whatever its size " +
        "(default with --data), MIN,MAX rescales by MIN..MAX of the image's own size (default on the built-in data: 0.7,1.3)");

    /// <summary>--seam-view-scale X|crop.</summary>
    public Option<string?> SeamViewScale { get; } = OptionFactory.Text("--seam-view-scale",
        "SEAM's second view scale, in (0, 1), or 'crop': the reference's 134-pixel second view (0.3 of its 448 crop) at any crop, " +
        $"0.6 at crop 224, between {SeamBaseline.ReferenceViewScale} and {SeamBaseline.LargestViewScale} (default 'crop' with --data, " +
        $"{SeamBaseline.ReferenceViewScale} on the built-in data)");

    /// <summary>Every option, to add to a command.</summary>
    public IEnumerable<Option> All => [Steps, Batch, Crop, LearningRate, ClipGradNorm, Seed, Backbone, OutputStride, ScaleRange, SeamViewScale];

    /// <summary>The smallest second view, in pixels, <see cref="Baseline"/> accepts.</summary>
    public const int SmallestSeamView = 16;

    /// <summary>The baselines' own hyper-parameters for a crop of <paramref name="crop"/> pixels, checked against the
    /// <paramref name="baselines"/> that will be trained: an option none of them reads is a usage error.</summary>
    public BaselineOptions Baseline(ParseResult result, bool synthetic, int crop, IReadOnlyCollection<string> baselines, string command)
    {
        if (result.Given(SeamViewScale) && !baselines.Any(WsssBaselines.ReadsOptions))
            throw new UsageException($"{command}: --seam-view-scale applies to --baseline {string.Join(" or ", WsssBaselines.NamesReadingOptions)}, " +
                                     $"not {string.Join(",", baselines)}");
        var text = result.GetValue(SeamViewScale) ?? (synthetic ? SeamBaseline.ReferenceViewScale.ToString(CultureInfo.InvariantCulture) : "crop");
        var scale = text == "crop" ? SeamBaseline.ViewScaleForCrop(crop)
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var given) && given is > 0 and < 1 ? given
            : throw new UsageException($"{command}: --seam-view-scale must be 'crop' or a number in (0, 1), got '{text}'");
        if ((int)(crop * scale) < SmallestSeamView)
            throw new UsageException($"{command}: --seam-view-scale {text} makes SEAM's second view {(int)(crop * scale)} pixels of a {crop}-pixel crop; " +
                                     $"it needs at least {SmallestSeamView}");
        return new(scale);
    }

    /// <summary>The backbone and its stride, checked against what the backbone supports.</summary>
    public (string Name, int Stride) BackboneChoice(ParseResult result, string command, string defaultBackbone, int? defaultStride = null)
    {
        var name = result.GetValue(Backbone) ?? defaultBackbone;
        var entry = Backbones.Get(name);
        var stride = result.GetValue(OutputStride) ?? defaultStride ?? (name == "resnet18" ? 16 : entry.OutputStrides[^1]);
        if (!entry.OutputStrides.Contains(stride))
            throw new UsageException($"{command}: the {name} backbone has output stride {string.Join(", ", entry.OutputStrides)}, got --output-stride {stride}");
        return (name, stride);
    }

    /// <summary>"cam 600, seam 1200": a per-baseline default for help texts.</summary>
    public static string PerBaseline<T>(Func<string, T> value) => string.Join(", ", WsssBaselines.Names.Select(n => FormattableString.Invariant($"{n} {value(n)}")));

    /// <summary>The training settings of <paramref name="baseline"/>; photographs of any size get a long side tied to the crop, and
    /// the baseline's <see cref="WsssBaselines.Photographs"/> steps and gradient clipping unless --steps or --clip-grad-norm is given.</summary>
    public TrainingOptions Resolve(ParseResult result, bool synthetic, string command, string baseline)
    {
        var crop = result.GetValue(Crop) ?? (synthetic ? 96 : 224);
        var text = result.GetValue(ScaleRange) ?? (synthetic ? "0.7,1.3" : "crop");
        double[]? relative = null;
        if (text != "crop")
        {
            var parts = text.Split(',');
            relative = parts.Length == 2 && parts.All(p => double.TryParse(p, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v))
                ? parts.Select(p => double.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray() : null;
            if (relative is null || relative[0] > relative[1])
                throw new UsageException($"{command}: --scale-range must be 'crop' or two positive numbers MIN,MAX with MIN <= MAX, got '{text}'");
        }
        return new()
        {
            Steps = result.GetValue(Steps) ?? (synthetic ? 300 : WsssBaselines.Photographs(baseline).Steps),
            BatchSize = result.GetValue(Batch) ?? (synthetic ? 16 : 8),
            CropSize = crop,
            // The long side follows the crop (the reference's 448-768 for 448). The synthetic images are all 96 pixels, and
            // the demo keeps the relative 0.7-1.3 its numbers were measured with.
            LongSideRange = relative is not null ? null : TrainingOptions.LongSideForCrop(crop),
            ScaleRange = relative is { } r ? (r[0], r[1]) : (0.7, 1.3),
            LearningRate = result.GetValue(LearningRate)!.Value,
            Seed = result.GetValue(Seed)!.Value,
            MaxGradientNorm = Clip(result, synthetic, command, baseline),
        };
    }

    /// <summary>--clip-grad-norm as a norm, or null for none; photographs default to the baseline's <see cref="PhotographDefaults.MaxGradientNorm"/>.</summary>
    double? Clip(ParseResult result, bool synthetic, string command, string baseline)
    {
        var text = result.GetValue(ClipGradNorm);
        if (text is null) return synthetic ? null : WsssBaselines.Photographs(baseline).MaxGradientNorm;
        if (text == "none") return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var norm) && double.IsFinite(norm) && norm > 0 ? norm
            : throw new UsageException($"{command}: --clip-grad-norm must be a positive number or 'none', got '{text}'");
    }
}
