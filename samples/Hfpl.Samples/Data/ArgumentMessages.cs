namespace Hfpl.Samples.Data;

/// <summary>The message of an argument exception without the " (Parameter 'x')" that .NET appends, for one-line errors that name an option or a file instead.</summary>
public static class ArgumentMessages
{
    /// <summary>The reason alone.</summary>
    public static string Reason(this ArgumentException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        var suffix = exception.ParamName is { } name ? $" (Parameter '{name}')" : null;
        return suffix is not null && message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }
}
