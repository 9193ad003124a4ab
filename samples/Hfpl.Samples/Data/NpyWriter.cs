using System.Runtime.InteropServices;
using System.Text;

namespace Hfpl.Samples.Data;

/// <summary>
/// Writes NumPy's <c>.npy</c> format (version 1.0): the exchange format of WSSS pipelines for CAMs. A magic string, a
/// header dict (<c>descr</c>, <c>fortran_order</c>, <c>shape</c>) padded to a multiple of 64 bytes, then the little-endian data
/// in C order; <c>numpy.load</c> reads it.
/// </summary>
public static class NpyWriter
{
    /// <summary>Writes float32 values of shape <paramref name="shape"/> (C order).</summary>
    public static void Write(string path, ReadOnlySpan<float> values, params long[] shape) => Write(path, "<f4", MemoryMarshal.AsBytes(values), values.Length, shape);

    /// <summary>Writes int64 values of shape <paramref name="shape"/> (C order).</summary>
    public static void Write(string path, ReadOnlySpan<long> values, params long[] shape) => Write(path, "<i8", MemoryMarshal.AsBytes(values), values.Length, shape);

    static void Write(string path, string descr, ReadOnlySpan<byte> data, long count, long[] shape)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("NpyWriter writes little-endian data on little-endian machines only.");
        if (shape.Aggregate(1L, (a, b) => a * b) != count)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) does not hold {count} values.", nameof(shape));
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        // magic (6) + version (2) + header length (2) + header + padding + newline: a multiple of 64.
        var total = 10 + header.Length + 1;
        header += new string(' ', (64 - total % 64) % 64) + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = File.Create(path);
        file.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        file.Write(BitConverter.GetBytes((ushort)header.Length));
        file.Write(Encoding.ASCII.GetBytes(header));
        file.Write(data);
    }
}
