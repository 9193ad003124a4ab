using System.Text.Json;
using System.Text.Json.Nodes;
using Hfpl.Samples.Backbones;
using Hfpl.Samples.Baselines;

namespace Hfpl.Samples.Experiments;

/// <summary>
/// Everything needed to rebuild a baseline before loading its weights; saved as JSON next to each checkpoint.
/// </summary>
/// <param name="Baseline">"cam" (or "seam").</param>
/// <param name="AddOn">True for the "++" variant.</param>
/// <param name="Backbone">"small" (random small CNN) or "resnet18" (ImageNet-pretrained).</param>
/// <param name="OutputStride">Backbone output stride (resnet18: 8, 16 or 32).</param>
/// <param name="Classes">K, foreground classes.</param>
/// <param name="Seed">Seed of the add-on's sampler.</param>
/// <param name="AddOnSettings">The add-on's hyper-parameters when <paramref name="AddOn"/> is set; null for the paper's defaults.</param>
/// <param name="BackgroundClasses">Classes of the data that training read as background (<see cref="Data.BackgroundClassMap"/>), or null;
/// inference reads the data the same way unless told otherwise.</param>
/// <param name="InferenceLongSide">The inference base size (long side in pixels) that fits the training scales, or null for each
/// image's own size (<see cref="Training.TrainingOptions.InferenceLongSide"/>).</param>
/// <param name="BaselineOptions">The baseline's own hyper-parameters, or null for the reference's (<see cref="Baselines.BaselineOptions"/>).</param>
public sealed record ModelSpec(string Baseline, bool AddOn, string Backbone, int OutputStride, int Classes, int Seed, AddOnSettings? AddOnSettings = null,
    IReadOnlyList<string>? BackgroundClasses = null, int? InferenceLongSide = null, BaselineOptions? BaselineOptions = null)
{
    /// <summary>The baselines this build knows (<see cref="WsssBaselines"/>).</summary>
    public static IReadOnlyList<string> Baselines => WsssBaselines.Names;

    /// <summary>The backbones this build knows (<see cref="Backbones.Backbones"/>).</summary>
    public static IReadOnlyList<string> Backbones => Hfpl.Samples.Backbones.Backbones.Names;

    /// <summary>Builds the model (pretrained backbone weights loaded; head random).</summary>
    public WsssBaseline Create()
    {
        var factory = WsssBaselines.Get(Baseline);
        var backbone = Hfpl.Samples.Backbones.Backbones.Create(Backbone, OutputStride);
        var addOn = AddOn ? (AddOnSettings ?? new AddOnSettings()).Create(Seed) : null;
        return factory(backbone, Classes, addOn, BaselineOptions ?? new());
    }

    /// <summary>A short name: "CAM", "CAM++".</summary>
    public string DisplayName => Baseline.ToUpperInvariant() + (AddOn ? "++" : "");

    /// <summary>What was set besides the name: the add-on's settings (or "no add-on") and the baseline options that differ from the
    /// reference's, e.g. "no add-on; SEAM view 0.6" or "lambda 0, FSL weight 1, sigma 5, FSL grid x2".</summary>
    public string Describe() =>
        string.Join("; ", new[] { AddOn ? (AddOnSettings ?? new AddOnSettings()).ToString() : "no add-on", BaselineOptions?.ToString() }
            .Where(d => !string.IsNullOrEmpty(d)));

    /// <summary>The key of the training machine in <c>checkpoint.json</c>: beside the spec, not part of it, so the same model trained on two
    /// machines compares equal.</summary>
    const string MachineKey = "TrainedOn";

    /// <summary>Writes the spec to <c>checkpoint.json</c>, with the machine that trained it when given (<see cref="Read"/> returns it).</summary>
    public void Save(string checkpointPath, Machine? trainedOn = null)
    {
        var json = JsonSerializer.SerializeToNode(this)!.AsObject();
        if (trainedOn is not null) json[MachineKey] = JsonSerializer.SerializeToNode(trainedOn);
        File.WriteAllText(checkpointPath + ".json", json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The machine recorded in a parsed <c>checkpoint.json</c>, or null (none recorded, an older file, or not a machine).</summary>
    static Machine? MachineIn(JsonNode? description)
    {
        try { return description is JsonObject json && json[MachineKey] is { } node ? node.Deserialize<Machine>() : null; }
        catch (JsonException) { return null; }
    }

    /// <summary>Reads the spec written next to a checkpoint and checks that it describes a model this build can make.</summary>
    /// <exception cref="FileNotFoundException">There is no <c>checkpoint.json</c>.</exception>
    /// <exception cref="InvalidDataException">The JSON is malformed, empty, or names an unknown baseline or backbone; the message names the file.</exception>
    public static ModelSpec Load(string checkpointPath) => Read(checkpointPath).Spec;

    /// <summary>Reads <c>checkpoint.json</c> once: the checked spec (<see cref="Load"/>) and the machine that trained it (null
    /// when not recorded, as in files written before the machine was).</summary>
    /// <exception cref="FileNotFoundException">There is no <c>checkpoint.json</c>.</exception>
    /// <exception cref="InvalidDataException">As <see cref="Load"/>.</exception>
    public static (ModelSpec Spec, Machine? TrainedOn) Read(string checkpointPath)
    {
        var path = checkpointPath + ".json";
        if (!File.Exists(path)) throw new FileNotFoundException($"No model description '{path}' next to the checkpoint (written by 'hfpl train').", path);
        ModelSpec? spec;
        JsonNode? description;
        try
        {
            description = JsonNode.Parse(File.ReadAllText(path));
            spec = description?.Deserialize<ModelSpec>();
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a model description ({e.Message})", e); }
        if (spec is null) throw new InvalidDataException($"{path}: empty model description.");
        var problem = spec.Baseline is null || !Baselines.Contains(spec.Baseline) ? $"baseline '{spec.Baseline}' is not one of {string.Join(", ", Baselines)}"
            : spec.Backbone is null || !Backbones.Contains(spec.Backbone) ? $"backbone '{spec.Backbone}' is not one of {string.Join(", ", Backbones)}"
            : spec.Classes is < 1 or > 255 ? $"classes must be 1..255, got {spec.Classes}"
            : !Hfpl.Samples.Backbones.Backbones.Get(spec.Backbone).OutputStrides.Contains(spec.OutputStride)
                ? $"the {spec.Backbone} backbone has no output stride {spec.OutputStride}"
            : spec.InferenceLongSide is <= 0 ? $"inference long side must be positive, got {spec.InferenceLongSide}"
            : spec.BaselineOptions?.Problem() is { } baselineProblem ? baselineProblem
            : null;
        if (problem is not null) throw new InvalidDataException($"{path}: {problem}.");
        return (spec, MachineIn(description));
    }

    /// <summary>Builds the model and loads its weights from <paramref name="checkpointPath"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of this model (garbage, truncated, another backbone or class
    /// count); the message names the file and what the description says.</exception>
    public WsssBaseline Restore(string checkpointPath)
    {
        var model = Create();
        try
        {
            model.load(checkpointPath);
            return model;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            model.Dispose();
            throw new InvalidDataException(
                $"{checkpointPath}: not the weights of a {DisplayName} with a {Backbone} backbone and {Classes} classes, as {Path.GetFileName(checkpointPath)}.json says ({e.GetType().Name}: {e.Message.Split('\n')[0]})", e);
        }
    }
}
