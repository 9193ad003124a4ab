using System.Globalization;

namespace Hfpl.Cli;

/// <summary>A bad command line: the message is printed as one line and the process exits with code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The options of one command: <c>--name value</c> pairs and <c>--flag</c> switches, each declared up front so that
/// an unknown option, a missing value or an out-of-range number is reported by name.
/// </summary>
public sealed class CommandLine
{
    readonly Dictionary<string, string?> values = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="args"/> against the declared option names and flag names.</summary>
    public CommandLine(string command, IReadOnlyList<string> args, IReadOnlyCollection<string> options, IReadOnlyCollection<string> flags)
    {
        Command = command;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                throw new UsageException($"{command}: unexpected argument '{arg}' (options start with --; see 'hfpl {command} --help')");
            var name = arg[2..];
            string? inline = null;
            if (name.IndexOf('=') is var eq and > 0) (name, inline) = (name[..eq], name[(eq + 1)..]);
            if (flags.Contains(name))
            {
                if (inline is not null) throw new UsageException($"{command}: --{name} takes no value");
                values[name] = null;
            }
            else if (options.Contains(name))
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{command}: --{name} needs a value"));
                values[name] = value;
            }
            else throw new UsageException($"{command}: unknown option '--{name}' (see 'hfpl {command} --help')");
        }
    }

    /// <summary>The command these options belong to.</summary>
    public string Command { get; }

    /// <summary>Whether a flag or option was given.</summary>
    public bool Has(string name) => values.ContainsKey(name);

    /// <summary>A string option, or <paramref name="fallback"/>.</summary>
    public string? String(string name, string? fallback = null) => values.TryGetValue(name, out var v) ? v : fallback;

    /// <summary>A required string option.</summary>
    public string Required(string name) => String(name) ?? throw new UsageException($"{Command}: --{name} is required");

    /// <summary>An integer option within [min, max].</summary>
    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        if (String(name) is not { } text) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw new UsageException($"{Command}: --{name} must be a whole number, got '{text}'");
        if (value < min || value > max) throw new UsageException($"{Command}: --{name} must be between {min} and {max}, got {value}");
        return value;
    }

    /// <summary>A number option within [min, max].</summary>
    public double Double(string name, double fallback, double min = double.MinValue, double max = double.MaxValue)
    {
        if (String(name) is not { } text) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new UsageException($"{Command}: --{name} must be a number, got '{text}'");
        if (value < min || value > max) throw new UsageException($"{Command}: --{name} must be between {min} and {max}, got {value}");
        return value;
    }

    /// <summary>A comma-separated list of positive numbers.</summary>
    public double[]? Doubles(string name)
    {
        if (String(name) is not { } text) return null;
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]) || !(result[i] > 0))
                throw new UsageException($"{Command}: --{name} must be a comma-separated list of positive numbers, got '{text}'");
        if (result.Length == 0) throw new UsageException($"{Command}: --{name} must not be empty");
        return result;
    }

    /// <summary>One of a fixed set of words.</summary>
    public string Choice(string name, string fallback, params string[] choices)
    {
        var value = String(name, fallback)!;
        if (!choices.Contains(value)) throw new UsageException($"{Command}: --{name} must be one of {string.Join(", ", choices)}, got '{value}'");
        return value;
    }

    /// <summary>An existing folder.</summary>
    public string? Folder(string name)
    {
        if (String(name) is not { } path) return null;
        if (!Directory.Exists(path)) throw new UsageException($"{Command}: --{name} folder '{path}' does not exist");
        return path;
    }
}
