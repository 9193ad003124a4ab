namespace Hfpl.Samples.Data;

/// <summary>
/// A per-pixel class index map (H, W), row-major: <see cref="Values"/>[y * Width + x]. In a ground-truth
/// mask the values are class indices below the dataset's class count, or the ignore index (255, void).
/// </summary>
public sealed class IndexMask
{
    /// <summary>Wraps <paramref name="values"/> (not copied): length must be <c>width * height</c>.</summary>
    public IndexMask(int width, int height, byte[] values)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive.");
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be positive.");
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != (long)width * height)
            throw new ArgumentException($"values must hold {width} * {height} = {(long)width * height} bytes, got {values.Length}.", nameof(values));
        Width = width;
        Height = height;
        Values = values;
    }

    /// <summary>An all-zero mask.</summary>
    public IndexMask(int width, int height) : this(width, height, new byte[(long)Math.Max(width, 0) * Math.Max(height, 0)]) { }

    /// <summary>Width W in pixels.</summary>
    public int Width { get; }

    /// <summary>Height H in pixels.</summary>
    public int Height { get; }

    /// <summary>Row-major index bytes, (H, W).</summary>
    public byte[] Values { get; }

    /// <summary>The value at row <paramref name="y"/>, column <paramref name="x"/>.</summary>
    public byte this[int y, int x]
    {
        get => Values[Offset(y, x)];
        set => Values[Offset(y, x)] = value;
    }

    private int Offset(int y, int x)
    {
        if ((uint)y >= (uint)Height) throw new ArgumentOutOfRangeException(nameof(y));
        if ((uint)x >= (uint)Width) throw new ArgumentOutOfRangeException(nameof(x));
        return y * Width + x;
    }
}
