using Hfpl.Samples.Data;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Hfpl.Cli.Options;

/// <summary>
/// Options whose values are checked where they are parsed, so that a bad value is one message naming the option and what it
/// accepts ("--steps must be between 1 and 1000000, got 0"); help shows each default.
/// </summary>
public static class OptionFactory
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    static string Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[0].Value : "";

    /// <summary>A whole number in [min, max]; null when absent and <paramref name="fallback"/> is null.</summary>
    public static Option<int?> Int(string name, string description, int? fallback, int min, int max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            var text = Token(result);
            if (!int.TryParse(text, NumberStyles.Integer, Invariant, out var value))
            {
                result.AddError($"{name} must be a whole number, got '{text}'");
                return null;
            }
            if (value < min || value > max) result.AddError($"{name} must be between {min} and {max}, got {value}");
            return value;
        },
    };

    /// <summary>A finite number in [min, max].</summary>
    public static Option<double?> Double(string name, string description, double? fallback, double min, double max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            var text = Token(result);
            if (!double.TryParse(text, NumberStyles.Float, Invariant, out var value) || !double.IsFinite(value))
            {
                result.AddError($"{name} must be a number, got '{text}'");
                return null;
            }
            if (value < min || value > max) result.AddError($"{name} must be between {min.ToString(Invariant)} and {max.ToString(Invariant)}, got {value.ToString(Invariant)}");
            return value;
        },
    };

    /// <summary>One of a fixed set of words.</summary>
    public static Option<string?> Choice(string name, string description, string? fallback, IReadOnlyList<string> choices) => new(name)
    {
        Description = description + $" ({string.Join("|", choices)})",
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            var text = Token(result);
            if (!choices.Contains(text)) result.AddError($"{name} must be one of {string.Join(", ", choices)}, got '{text}'");
            return text;
        },
    };

    /// <summary>A comma-separated list of positive numbers.</summary>
    public static Option<double[]?> PositiveNumbers(string name, string description, string? shownDefault) =>
        Numbers(name, description, shownDefault, v => v > 0, "positive numbers");

    /// <summary>A comma-separated list of numbers in <c>[0, 1]</c>, such as background thresholds.</summary>
    public static Option<double[]?> UnitNumbers(string name, string description) =>
        Numbers(name, description, null, v => v is >= 0 and <= 1, "numbers in 0..1");

    /// <summary>A comma-separated list of finite numbers that <paramref name="valid"/> accepts, <paramref name="what"/> in the error.</summary>
    static Option<double[]?> Numbers(string name, string description, string? shownDefault, Func<double, bool> valid, string what) => new(name)
    {
        Description = description + (shownDefault is null ? "" : $" [default: {shownDefault}]"),
        CustomParser = result =>
        {
            var text = Token(result);
            var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var values = new double[parts.Length];
            for (var i = 0; i < parts.Length; i++)
                if (!double.TryParse(parts[i], NumberStyles.Float, Invariant, out values[i]) || !double.IsFinite(values[i]) || !valid(values[i]))
                {
                    result.AddError($"{name} must be a comma-separated list of {what}, got '{text}'");
                    return null;
                }
            if (values.Length == 0) result.AddError($"{name} must not be empty");
            return values;
        },
    };

    /// <summary>The numbers of a <see cref="PositiveNumbers"/> option, or null when it was not given (System.CommandLine reads an
    /// absent array option as an empty array; null means "the default").</summary>
    public static double[]? GetNumbers(this ParseResult result, Option<double[]?> option) =>
        result.GetValue(option) is { Length: > 0 } values ? values : null;

    /// <summary>A plain string (no default value factory without a fallback, so that <c>Required</c> is enforced).</summary>
    public static Option<string?> Text(string name, string description, string? fallback = null)
    {
        var option = new Option<string?>(name) { Description = description };
        if (fallback is not null) option.DefaultValueFactory = _ => fallback;
        return option;
    }

    /// <summary>A switch without a value.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>--device cpu|cuda[:N], default cpu.</summary>
    public static Option<string?> Device() => Text("--device",
        "cpu, cuda or cuda:N; CUDA needs the application built with a CUDA backend (samples: dotnet build -p:TorchBackend=cuda)", "cpu");

    /// <summary>The device of <paramref name="option"/>, checked (a CUDA device without a CUDA backend is Hfpl's native error, exit 3).</summary>
    public static TorchSharp.torch.Device ResolveDevice(this ParseResult result, Option<string?> option, string command)
    {
        try { return Hfpl.Native.TorchDevices.Parse(result.GetValue(option)!); }
        catch (ArgumentException e) { throw new UsageException($"{command}: --device: {e.Reason()}"); }
    }

    /// <summary>Whether the user gave <paramref name="option"/> (rather than its default).</summary>
    public static bool Given(this ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
