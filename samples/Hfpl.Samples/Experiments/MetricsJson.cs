using System.Text.Json;
using System.Text.Json.Serialization;
using Hfpl.Samples.Data;
using Hfpl.Samples.Inference;

namespace Hfpl.Samples.Experiments;

/// <summary>
/// The one JSON schema of <c>metrics.json</c> (hfpl infer) and <c>comparison.json</c> (hfpl demo): camelCase keys, enums by name,
/// pairs as two-element arrays, <c>null</c> for a number that does not exist (a NaN IoU of a class nobody drew), and per-class
/// scores keyed by class name.
/// </summary>
public static class MetricsJson
{
    /// <summary>The serializer settings of both files.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new NonFiniteAsNull(), new PairAsArray() },
    };

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/>, creating the folder.</summary>
    public static void Write(string path, object value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(value, Options));
    }

    /// <summary>
    /// Writes the <c>metrics.json</c> of <c>hfpl infer</c>: the checkpoint and its model description, the dataset, the shard, the
    /// inference scales and base size, the machines that trained the model (null when the checkpoint does not say) and ran the
    /// inference (<see cref="Machine"/>; null when unknown), and the <see cref="Report"/>. <see cref="ComparisonFile.Read"/> reads it back as one run.
    /// </summary>
    public static void WriteInference(string path, string checkpoint, ModelSpec spec, DatasetInfo info, Shard shard, double[]? scales, int? longSide,
        PseudoLabelReport report, Machine? trainedOn, Machine? inferredOn) => Write(path, new
    {
        checkpoint,
        model = spec,
        trainedOn,
        inferredOn,
        dataset = info.Name,
        shard = shard.ToString(),
        scales = scales is { Length: > 0 } ? scales : CamInference.DefaultScales,
        longSide,
        report = Report(report, info),
    });

    /// <summary>A report in the schema: counts, mIoU, thresholds, per-class IoU by name, both contour F means, the curve.</summary>
    public static object Report(PseudoLabelReport report, DatasetInfo info) => new
    {
        images = report.Images,
        scoredImages = report.ScoredImages,
        meanIoU = report.MeanIoU,
        bestThreshold = report.BestThreshold,
        threshold = report.Threshold,
        classIoU = report.ClassIoU.Length == info.NumClasses
            ? info.ClassNames.Select((name, c) => (name, c)).ToDictionary(p => p.name, p => (double?)report.ClassIoU[p.c] is { } v && double.IsFinite(v) ? v : (double?)null)
            : [],
        contourF = report.ContourF,
        preciseContourF = report.PreciseContourF,
        preciseImages = report.PreciseImages,
        curve = report.Curve.Where(p => double.IsFinite(p.Threshold)).Select(p => new { threshold = p.Threshold, meanIoU = p.MeanIoU }),
        contourCurve = report.ContourCurve.Select(p => new { threshold = p.Threshold, contourF = p.ContourF, preciseContourF = p.PreciseContourF }),
        bestContourF = ContourOptimum.Of(report),
    };

    /// <summary>NaN and infinities are written as <c>null</c>.</summary>
    sealed class NonFiniteAsNull : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }

    /// <summary>Value pairs such as a scale range <c>(0.7, 1.3)</c> are written as <c>[0.7, 1.3]</c> (their fields are otherwise lost).</summary>
    sealed class PairAsArray : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) =>
            typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ValueTuple<,>);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(PairConverter<,>).MakeGenericType(typeToConvert.GetGenericArguments()))!;

        sealed class PairConverter<T1, T2> : JsonConverter<ValueTuple<T1, T2>>
        {
            public override (T1, T2) Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            {
                var items = JsonSerializer.Deserialize<JsonElement[]>(ref reader, options) ?? throw new JsonException("expected a pair.");
                if (items.Length != 2) throw new JsonException("expected a pair of two values.");
                return (items[0].Deserialize<T1>(options)!, items[1].Deserialize<T2>(options)!);
            }

            public override void Write(Utf8JsonWriter writer, (T1, T2) value, JsonSerializerOptions options)
            {
                writer.WriteStartArray();
                JsonSerializer.Serialize(writer, value.Item1, options);
                JsonSerializer.Serialize(writer, value.Item2, options);
                writer.WriteEndArray();
            }
        }
    }
}
