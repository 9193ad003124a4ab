namespace Hfpl.Native;

/// <summary>
/// Thrown on the first use of Hfpl when libtorch, the native library under TorchSharp, cannot be loaded.
/// The message names the native library that failed, the loader's reason, and what to do about it.
/// </summary>
public sealed class NativeLibraryException : InvalidOperationException
{
    /// <summary>Creates the exception with a diagnostic <paramref name="message"/> and the loader's exception.</summary>
    public NativeLibraryException(string message, Exception? innerException) : base(message, innerException) { }
}
