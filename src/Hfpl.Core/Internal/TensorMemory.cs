using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Internal;

/// <summary>
/// Raw access to the storage of contiguous CPU tensors for the fused C# kernels. The caller keeps each tensor alive
/// (and contiguous) while the pointer or span is in use.
/// </summary>
internal static class TensorMemory
{
    /// <summary>The address of a contiguous CPU tensor's first element.</summary>
    public static unsafe nint Pointer<T>(Tensor t) where T : unmanaged
    {
        fixed (byte* start = t.bytes) return (nint)start;
    }

    /// <summary>A span of <paramref name="length"/> elements starting <paramref name="offset"/> elements after <paramref name="pointer"/>.</summary>
    public static unsafe Span<T> Span<T>(nint pointer, long offset, int length) where T : unmanaged =>
        new((T*)pointer + offset, length);
}
