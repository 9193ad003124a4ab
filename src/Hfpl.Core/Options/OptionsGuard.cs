namespace Hfpl.Internal;

/// <summary>Turns a list of option errors into one exception for plain-constructor callers.</summary>
internal static class OptionsGuard
{
    public static void ThrowIfInvalid(IReadOnlyList<string> errors, string parameterName)
    {
        if (errors.Count > 0)
            throw new ArgumentException(string.Join(" ", errors), parameterName);
    }
}
