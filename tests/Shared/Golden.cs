using System.Text.Json;

namespace Hfpl.Tests;

/// <summary>
/// Reads the golden values that tests/golden/generate_golden.py computed from a literal Python transcription of
/// docs/method.md (Debian python3-torch, float64). Files are copied next to the test assembly under golden/.
/// </summary>
public static class Golden
{
    /// <summary>The cases of one golden file.</summary>
    public static IReadOnlyList<JsonElement> Cases(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "golden", file);
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToList();
    }

    /// <summary>A {"shape", "data"} object as a float64 tensor.</summary>
    public static Tensor Tensor(JsonElement element)
    {
        var shape = element.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var data = element.GetProperty("data").EnumerateArray().Select(ReadDouble).ToArray();
        return torch.tensor(data, ScalarType.Float64).reshape(shape);
    }

    /// <summary>A number, or null, or a string such as "Infinity".</summary>
    public static double? OptionalDouble(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? ReadDouble(v) : null;

    static double ReadDouble(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
        : e.GetDouble();
}
