using System.Text.Json;
using Hfpl.Evaluation;
using Hfpl.Samples.Inference;
using Hfpl.Samples.Training;

namespace Hfpl.Samples.Experiments;

/// <summary>
/// Reads back the runs of <c>comparison.json</c> files (<see cref="ComparisonReport.WriteJson"/>) so that comparisons run apart
/// (one seed per session or per machine, CAM and SEAM in separate commands) are tabled and plotted together.
/// </summary>
public static class ComparisonFile
{
    /// <summary>
    /// The runs of one file: a <c>comparison.json</c> of <c>hfpl demo</c> (every run it holds: variant, seed, model description,
    /// scores, curve and timings; the losses are not read back), or the <c>metrics.json</c> of <c>hfpl infer</c> over a whole
    /// dataset (one run, its seed the checkpoint's, its timings unknown and read as zero).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is neither, or is the metrics of one shard only; the message names it and the missing field.</exception>
    public static (string Dataset, IReadOnlyList<VariantResult> Runs) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No comparison file '{path}' (hfpl demo writes OUT/comparison.json, hfpl infer OUT/metrics.json).", path);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var dataset = Field(root, "dataset").GetString() ?? throw new InvalidDataException("'dataset' is null");
            if (root.ValueKind == JsonValueKind.Object && !root.TryGetProperty("runs", out _) && root.TryGetProperty("report", out _))
            {
                var shard = Field(root, "shard").GetString();
                if (shard != Shard.All.ToString())
                    throw new InvalidDataException($"it holds the metrics of shard {shard} only; score the whole dataset (hfpl infer without --shard) to compare it");
                var spec = Spec(Field(root, "model"));
                return (dataset, [Run(spec, spec.Seed, Field(root, "report"), 0, 0)]);
            }
            var runs = Field(root, "runs").EnumerateArray().Select(run => Run(Spec(Field(run, "model")), Field(run, "seed").GetInt32(), Field(run, "report"),
                Field(run, "trainingSeconds").GetDouble(), Field(run, "inferenceSeconds").GetDouble())).ToList();
            if (runs.Count == 0) throw new InvalidDataException("it holds no runs");
            return (dataset, runs);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{path}: not a comparison.json written by hfpl demo nor a metrics.json written by hfpl infer ({e.Message})", e);
        }
    }

    static ModelSpec Spec(JsonElement model) => model.Deserialize<ModelSpec>(MetricsJson.Options) ?? throw new InvalidDataException("a run's 'model' is null");

    static VariantResult Run(ModelSpec spec, int seed, JsonElement report, double trainingSeconds, double inferenceSeconds) =>
        new(spec, seed, new TrainingReport(new Dictionary<string, double>(), new Dictionary<string, double>(), TimeSpan.FromSeconds(trainingSeconds)),
            Report(report), TimeSpan.FromSeconds(inferenceSeconds));

    /// <summary>
    /// The runs of several files as one comparison. Every file must be of the same dataset, and a (variant, seed) pair may
    /// appear only once; each baseline needs the same seeds with and without the add-on, so that differences are paired.
    /// </summary>
    /// <returns>The dataset's name and every run.</returns>
    /// <exception cref="InvalidDataException">The files disagree on the dataset, repeat a run, or leave a difference unpaired; the message names the files.</exception>
    public static (string Dataset, IReadOnlyList<VariantResult> Runs) Merge(IReadOnlyList<string> paths)
    {
        ArgumentOutOfRangeException.ThrowIfZero(paths.Count, nameof(paths));
        var files = paths.Select(p => (Path: p, Content: Read(p))).ToList();
        if (files.Select(f => f.Content.Dataset).Distinct().Count() > 1)
            throw new InvalidDataException("the comparison files are of different datasets: " +
                                           string.Join(", ", files.Select(f => $"{f.Path} ({f.Content.Dataset})")));
        var runs = files.SelectMany(f => f.Content.Runs.Select(r => (f.Path, Run: r))).ToList();
        foreach (var repeated in runs.GroupBy(r => (r.Run.Spec.DisplayName, r.Run.Seed)).Where(g => g.Count() > 1))
            throw new InvalidDataException($"{repeated.Key.DisplayName} seed {repeated.Key.Seed} is in more than one file: " +
                                           string.Join(", ", repeated.Select(r => r.Path)));
        // A variant's runs must differ in the seed only: CAM++ with one add-on setting is not averaged with CAM++ with another.
        foreach (var variant in runs.GroupBy(r => r.Run.Spec.DisplayName))
        {
            var settings = variant.GroupBy(r => JsonSerializer.Serialize(r.Run.Spec with { Seed = 0 }, MetricsJson.Options)).ToList();
            if (settings.Count > 1)
                throw new InvalidDataException($"the {variant.Key} runs differ in more than the seed: " +
                                               string.Join(" vs ", settings.Select(g => $"{string.Join(", ", g.Select(r => r.Path).Distinct())} ({g.First().Run.Spec.Describe()})")));
        }
        foreach (var baseline in runs.GroupBy(r => r.Run.Spec.Baseline))
        {
            var seeds = baseline.GroupBy(r => r.Run.Spec.AddOn).Select(g => string.Join(",", g.Select(r => r.Run.Seed).Order())).Distinct().ToList();
            if (seeds.Count > 1)
                throw new InvalidDataException($"{baseline.Key.ToUpperInvariant()} and {baseline.Key.ToUpperInvariant()}++ were run with different seeds " +
                                               $"({string.Join(" vs ", seeds)}), so their differences cannot be paired by seed");
        }
        return (files[0].Content.Dataset, runs.Select(r => r.Run).ToList());
    }

    static PseudoLabelReport Report(JsonElement report)
    {
        static double? Optional(JsonElement e, string name) => Field(e, name).ValueKind == JsonValueKind.Null ? null : Field(e, name).GetDouble();
        static ContourScores Scores(JsonElement e) => new(Field(e, "allClasses").GetDouble(), Field(e, "presentClasses").GetDouble());
        var curve = Field(report, "curve").EnumerateArray().Select(p => new ThresholdPoint(Field(p, "threshold").GetDouble(), Field(p, "meanIoU").GetDouble())).ToList();
        var classIoU = Field(report, "classIoU").EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.Null ? double.NaN : p.Value.GetDouble()).ToArray();
        static ContourScores? OptionalScores(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : Scores(e);
        // Files written before hfpl infer had --contour-thresholds have no contour curve.
        var contourCurve = report.TryGetProperty("contourCurve", out var points)
            ? points.EnumerateArray().Select(p => new ContourPoint(Field(p, "threshold").GetDouble(), Scores(Field(p, "contourF")), OptionalScores(Field(p, "preciseContourF")))).ToList()
            : [];
        return new PseudoLabelReport(Field(report, "meanIoU").GetDouble(), Optional(report, "bestThreshold"), Optional(report, "threshold"), curve, classIoU,
            Scores(Field(report, "contourF")), OptionalScores(Field(report, "preciseContourF")),
            Field(report, "preciseImages").GetInt32(), Field(report, "scoredImages").GetInt32(), Field(report, "images").GetInt32())
        {
            ContourCurve = contourCurve,
        };
    }

    static JsonElement Field(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value
            : throw new InvalidDataException($"no '{name}' field");
}
