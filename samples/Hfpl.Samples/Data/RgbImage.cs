namespace Hfpl.Samples.Data;

/// <summary>
/// An 8-bit RGB image held in managed memory: <see cref="Pixels"/> is row-major, interleaved R, G, B,
/// so the pixel (y, x) starts at <c>3 * (y * Width + x)</c>; as a tensor it reads (H, W, 3).
/// </summary>
public sealed class RgbImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied): length must be <c>3 * width * height</c>.</summary>
    public RgbImage(int width, int height, byte[] pixels)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive.");
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be positive.");
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != 3L * width * height)
            throw new ArgumentException($"pixels must hold 3 * {width} * {height} = {3L * width * height} bytes, got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>A black image.</summary>
    public RgbImage(int width, int height) : this(width, height, new byte[3L * Math.Max(width, 0) * Math.Max(height, 0)]) { }

    /// <summary>Width W in pixels.</summary>
    public int Width { get; }

    /// <summary>Height H in pixels.</summary>
    public int Height { get; }

    /// <summary>Row-major interleaved RGB bytes, (H, W, 3).</summary>
    public byte[] Pixels { get; }

    /// <summary>The colour at row <paramref name="y"/>, column <paramref name="x"/>.</summary>
    public (byte R, byte G, byte B) this[int y, int x]
    {
        get
        {
            var i = Offset(y, x);
            return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
        set
        {
            var i = Offset(y, x);
            Pixels[i] = value.R;
            Pixels[i + 1] = value.G;
            Pixels[i + 2] = value.B;
        }
    }

    private int Offset(int y, int x)
    {
        if ((uint)y >= (uint)Height) throw new ArgumentOutOfRangeException(nameof(y));
        if ((uint)x >= (uint)Width) throw new ArgumentOutOfRangeException(nameof(x));
        return 3 * (y * Width + x);
    }
}
