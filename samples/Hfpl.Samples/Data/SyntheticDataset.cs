namespace Hfpl.Samples.Data;

/// <summary>One object placed in a synthetic image.</summary>
/// <param name="ClassIndex">Its class (1..C-1).</param>
/// <param name="CenterX">Centre column of its shape.</param>
/// <param name="CenterY">Centre row of its shape.</param>
/// <param name="PartX">Left column of its discriminative part, a square of <paramref name="PartSize"/> pixels.</param>
/// <param name="PartY">Top row of the part.</param>
/// <param name="PartSize">Side of the part square in pixels.</param>
/// <param name="VisibleArea">Pixels of the object left visible (and labelled) after later objects were drawn.</param>
public sealed record SyntheticObject(int ClassIndex, double CenterX, double CenterY, int PartX, int PartY, int PartSize, int VisibleArea);

/// <summary>A generated sample with the objects it was drawn from.</summary>
/// <param name="Sample">Image, mask and labels.</param>
/// <param name="Objects">The objects in drawing order.</param>
public sealed record SyntheticScene(SegmentationSample Sample, IReadOnlyList<SyntheticObject> Objects);

/// <summary>
/// The built-in demo data, generated in memory: objects of a few classes on cluttered, textured backgrounds.
/// </summary>
/// <remarks>
/// <para>Class 0 is background (so K = C - 1 labels), then up to six object classes. There are six body looks
/// (colour, texture and shape family): red spotted ellipse, green striped blob, blue checkered polygon, purple
/// banded long ellipse, orange gridded rectangle, teal ringed blob. By default class c draws look c or c + 1 at
/// random (never a look twice in an image), so a body narrows the class down to two; with
/// <see cref="SyntheticOptions.ClassSpecificBodies"/> class c always has look c (beetle, leaf, crystal, slug, tile,
/// shell). Every object carries one small square "eye" with a class-specific, bright pattern (white with a
/// black X, yellow with a black dot, magenta/white checks, a cyan ring, black/white vertical stripes,
/// yellow/blue horizontal stripes). The eye alone identifies the class, so a plain GAP classifier fires on
/// it, while the mask covers the whole object: the situation the method is meant to fix.</para>
/// <para>Objects are flat-coloured, hard-edged regions, so every mask boundary is a colour edge (the
/// heuristic of the feature similarity loss). Backgrounds are muted (low saturation) two-colour value noise
/// with clutter (lines, discs, boxes, hatched patches) that is labelled background. Images hold
/// <see cref="SyntheticOptions.MinObjects"/>..<see cref="SyntheticOptions.MaxObjects"/> objects of distinct
/// classes; later objects may hide up to 30 % of earlier ones but never an earlier object's eye.</para>
/// <para>Image i is generated from its own random stream, derived from (seed, i), so samples can be read
/// in any order; the same seed gives identical pixels (integer-exact on a given platform).</para>
/// </remarks>
public sealed class SyntheticDataset : SegmentationDataset
{
    /// <summary>Every object keeps at least this many times its eye's area visible, so the eye stays under a fifth of it.</summary>
    const int MinAreaPerPart = 6;

    /// <summary>The number of object classes defined.</summary>
    public const int MaxObjectClasses = 6;

    private static readonly ClassStyle[] Styles =
    [
        new("beetle", 0, 0.85, 0.85, Shape.Ellipse, Texture.Spots, Pattern.Cross),
        new("leaf", 120, 0.80, 0.65, Shape.Blob, Texture.DiagonalStripes, Pattern.Dot),
        new("crystal", 220, 0.80, 0.85, Shape.Polygon, Texture.Checks, Pattern.Checks),
        new("slug", 285, 0.60, 0.70, Shape.LongEllipse, Texture.Bands, Pattern.Ring),
        new("tile", 30, 0.90, 0.95, Shape.Rectangle, Texture.Grid, Pattern.VerticalStripes),
        new("shell", 175, 0.70, 0.70, Shape.Blob, Texture.Rings, Pattern.HorizontalStripes),
    ];

    private readonly string[] _ids;

    /// <summary>Creates the dataset; nothing is generated until a sample is read.</summary>
    public SyntheticDataset(SyntheticOptions? options = null) : base(MakeInfo(options ?? new SyntheticOptions()))
    {
        Options = options ?? new SyntheticOptions();
        Options.Validate();
        _ids = Enumerable.Range(0, Options.Count).Select(i => $"synthetic_{i:D5}").ToArray();
    }

    /// <summary>The settings.</summary>
    public SyntheticOptions Options { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> Ids => _ids;

    /// <summary>The class names: background then the object classes.</summary>
    public static IReadOnlyList<string> ClassNames(int objectClasses) =>
        ["background", .. Styles.Take(objectClasses).Select(s => s.Name)];

    /// <summary>Writes the whole dataset to <paramref name="root"/> in the MSRC layout (images/, masks/, classes.json).</summary>
    public void WriteMsrcLayout(string root) => MsrcLayoutWriter.Write(this, root);

    /// <inheritdoc />
    protected override SegmentationSample Read(int index) => GenerateScene(index).Sample;

    /// <summary>Generates image <paramref name="index"/> with its object list.</summary>
    public SyntheticScene GenerateScene(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in 0..{Count - 1}.");
        var rng = new SplitMix64(((ulong)(uint)Options.Seed << 32) ^ (uint)index ^ 0x5EED_0000_0000_0000UL);
        var scene = new Scene(Options.Width, Options.Height);
        PaintBackground(scene, rng);
        var objects = PlaceObjects(scene, rng);
        AddNoise(scene, rng);
        var mask = Options.VoidBorder > 0 ? WithVoidBorder(scene.Mask, scene.Width, scene.Height, Options.VoidBorder) : scene.Mask;
        var image = new RgbImage(scene.Width, scene.Height, scene.ToBytes());
        var sample = new SegmentationSample(_ids[index], image, new IndexMask(scene.Width, scene.Height, mask), Info);
        return new SyntheticScene(sample, objects);
    }

    private static DatasetInfo MakeInfo(SyntheticOptions options)
    {
        options.Validate();
        return new DatasetInfo("synthetic", ClassNames(options.ObjectClasses), hasBackground: true);
    }

    // ---- background -------------------------------------------------------------------------------

    private void PaintBackground(Scene s, SplitMix64 rng)
    {
        var scale = Math.Min(s.Width, s.Height) / 96.0;
        var c1 = Hsv(rng.Uniform(0, 360), rng.Uniform(0.05, 0.30), rng.Uniform(0.30, 0.60));
        var c2 = Hsv(rng.Uniform(0, 360), rng.Uniform(0.05, 0.30), rng.Uniform(0.25, 0.65));
        var coarse = new ValueNoise(rng, s.Width, s.Height, 30 * scale);
        var fine = new ValueNoise(rng, s.Width, s.Height, 6 * scale);
        for (var y = 0; y < s.Height; y++)
            for (var x = 0; x < s.Width; x++)
            {
                var t = coarse.At(x, y);
                var shade = 0.80 + 0.35 * fine.At(x, y);
                s.Set(x, y, Lerp(c1, c2, t) * shade);
            }

        var clutter = rng.NextInt(10, 19);
        for (var i = 0; i < clutter; i++)
        {
            var color = Hsv(rng.Uniform(0, 360), rng.Uniform(0.0, 0.35), rng.Uniform(0.15, 0.80));
            double cx = rng.Uniform(0, s.Width), cy = rng.Uniform(0, s.Height);
            switch (rng.NextInt(0, 4))
            {
                case 0: // line
                {
                    var angle = rng.Uniform(0, Math.PI);
                    var half = rng.Uniform(8, 30) * scale;
                    var thick = rng.Uniform(0.5, 1.3) * Math.Max(1, scale);
                    double dx = Math.Cos(angle) * half, dy = Math.Sin(angle) * half;
                    Fill(s, cx - half, cy - half, cx + half, cy + half,
                        (x, y) => DistanceToSegment(x, y, cx - dx, cy - dy, cx + dx, cy + dy) <= thick, (_, _) => color);
                    break;
                }
                case 1: // disc
                {
                    var r = rng.Uniform(2, 6) * scale;
                    Fill(s, cx - r, cy - r, cx + r, cy + r, (x, y) => Sq(x - cx) + Sq(y - cy) <= r * r, (_, _) => color);
                    break;
                }
                case 2: // box
                {
                    double w = rng.Uniform(3, 10) * scale, h = rng.Uniform(3, 10) * scale;
                    Fill(s, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, (_, _) => true, (_, _) => color);
                    break;
                }
                default: // hatched patch
                {
                    double w = rng.Uniform(6, 14) * scale, h = rng.Uniform(6, 14) * scale;
                    var period = Math.Max(3, Math.Round(3 * scale));
                    var dark = color * 0.6;
                    Fill(s, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, (_, _) => true,
                        (x, y) => Mod(x - y, period) < period / 2 ? color : dark);
                    break;
                }
            }
        }
    }

    // ---- objects ----------------------------------------------------------------------------------

    private List<SyntheticObject> PlaceObjects(Scene s, SplitMix64 rng)
    {
        var scale = Math.Min(s.Width, s.Height) / 96.0;
        var partSize = Math.Max(5, (int)Math.Round(0.11 * Math.Min(s.Width, s.Height)));
        var wanted = Math.Min(rng.NextInt(Options.MinObjects, Options.MaxObjects + 1), Options.ObjectClasses);
        var classes = Enumerable.Range(1, Options.ObjectClasses).ToArray();
        for (var i = classes.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(0, i + 1);
            (classes[i], classes[j]) = (classes[j], classes[i]);
        }

        // Body looks (shape, colour, texture): with class-specific bodies, class c has look c. Otherwise class c has
        // look c or c + 1 (mod the number of looks), so every look is shared by two classes: the body hints at the
        // class, only the eye settles it, and a GAP classifier leans on the eye. A look is never used twice in one
        // image, so that neighbouring objects still differ in colour.
        var bodies = new Dictionary<int, ClassStyle>();
        var used = new HashSet<int>();
        foreach (var cls in classes.Take(wanted))
        {
            var first = rng.NextInt(0, 2);
            int[] options = [(cls - 1 + first) % Styles.Length, (cls - 1 + 1 - first) % Styles.Length];
            var look = Options.ClassSpecificBodies ? cls - 1
                : options.Where(o => !used.Contains(o)).DefaultIfEmpty(Enumerable.Range(0, Styles.Length).First(o => !used.Contains(o))).First();
            used.Add(look);
            bodies[cls] = Styles[look];
        }

        var owner = new int[s.Width * s.Height];   // 1 + index of the placed object that shows at each pixel, 0 = none
        var placed = new List<(int Class, bool[] Shape, ShapeGeometry Geometry, int PartX, int PartY, int Area)>();
        foreach (var cls in classes.Take(wanted))
        {
            var style = bodies[cls];
            for (var attempt = 0; attempt < 60; attempt++)
            {
                var g = ShapeGeometry.Random(style.Shape, rng, s.Width, s.Height, scale);
                var shape = Rasterize(g, s.Width, s.Height, out var area);
                if (area < 0.6 * g.NominalArea) continue;           // mostly outside the frame
                if (area < MinAreaPerPart * partSize * partSize) continue; // the eye must stay a small part

                // The new object must hide no earlier eye and at most 30 % of any earlier object.
                var hidden = new int[placed.Count];
                var ok = true;
                for (var p = 0; p < s.Width * s.Height && ok; p++)
                    if (shape[p] && owner[p] > 0) hidden[owner[p] - 1]++;
                for (var k = 0; k < placed.Count && ok; k++)
                {
                    var visible = CountOf(owner, k + 1);
                    if (hidden[k] > 0.3 * visible || visible - hidden[k] < MinAreaPerPart * partSize * partSize) ok = false;
                    if (SquareTouches(shape, s.Width, s.Height, placed[k].PartX - 2, placed[k].PartY - 2, partSize + 4)) ok = false;
                }
                if (!ok) continue;

                // The eye: a square fully inside the shape with one pixel of body around it.
                var eye = FindEye(shape, s.Width, s.Height, g, partSize, rng);
                if (eye is null) continue;

                for (var p = 0; p < shape.Length; p++)
                    if (shape[p]) owner[p] = placed.Count + 1;
                placed.Add((cls, shape, g, eye.Value.X, eye.Value.Y, area));
                break;
            }
        }

        var result = new List<SyntheticObject>(placed.Count);
        for (var k = 0; k < placed.Count; k++)
        {
            var (cls, shape, g, px, py, _) = placed[k];
            var style = bodies[cls];
            var color = Hsv(style.Hue + rng.Uniform(-6, 6), Math.Min(1, style.Saturation * rng.Uniform(0.9, 1.05)),
                Math.Min(1, style.Value * rng.Uniform(0.85, 1.05)));
            double cos = Math.Cos(g.Angle), sin = Math.Sin(g.Angle);
            for (var y = 0; y < s.Height; y++)
                for (var x = 0; x < s.Width; x++)
                {
                    if (!shape[y * s.Width + x]) continue;
                    double dx = x - g.CenterX, dy = y - g.CenterY;
                    double u = cos * dx + sin * dy, v = -sin * dx + cos * dy;   // object-aligned coordinates
                    s.Set(x, y, color * TextureFactor(style.Texture, u, v, scale));
                    s.Mask[y * s.Width + x] = (byte)cls;
                }
            for (var i = 0; i < partSize; i++)
                for (var j = 0; j < partSize; j++)
                    s.Set(px + j, py + i, PatternColor(Styles[cls - 1].Pattern, i, j, partSize));
            result.Add(new SyntheticObject(cls, g.CenterX, g.CenterY, px, py, partSize, CountOf(owner, k + 1)));
        }
        return result;
    }

    private static int CountOf(int[] owner, int value)
    {
        var n = 0;
        foreach (var o in owner)
            if (o == value) n++;
        return n;
    }

    private static bool SquareTouches(bool[] shape, int w, int h, int x0, int y0, int size)
    {
        for (var y = Math.Max(0, y0); y < Math.Min(h, y0 + size); y++)
            for (var x = Math.Max(0, x0); x < Math.Min(w, x0 + size); x++)
                if (shape[y * w + x]) return true;
        return false;
    }

    private static (int X, int Y)? FindEye(bool[] shape, int w, int h, ShapeGeometry g, int size, SplitMix64 rng)
    {
        for (var attempt = 0; attempt < 80; attempt++)
        {
            // Near the centre first, further out later, so the eye sits well inside the object.
            var spread = g.Radius * (0.2 + 0.6 * attempt / 80.0);
            var x0 = (int)Math.Round(g.CenterX + rng.Uniform(-spread, spread) - size / 2.0);
            var y0 = (int)Math.Round(g.CenterY + rng.Uniform(-spread, spread) - size / 2.0);
            if (x0 < 1 || y0 < 1 || x0 + size + 1 > w || y0 + size + 1 > h) continue;
            var inside = true;
            for (var y = y0 - 1; y <= y0 + size && inside; y++)
                for (var x = x0 - 1; x <= x0 + size && inside; x++)
                    inside = shape[y * w + x];
            if (inside) return (x0, y0);
        }
        return null;
    }

    private static bool[] Rasterize(ShapeGeometry g, int w, int h, out int area)
    {
        var shape = new bool[w * h];
        area = 0;
        int x0 = Math.Max(0, (int)Math.Floor(g.CenterX - g.Extent)), x1 = Math.Min(w - 1, (int)Math.Ceiling(g.CenterX + g.Extent));
        int y0 = Math.Max(0, (int)Math.Floor(g.CenterY - g.Extent)), y1 = Math.Min(h - 1, (int)Math.Ceiling(g.CenterY + g.Extent));
        for (var y = y0; y <= y1; y++)
            for (var x = x0; x <= x1; x++)
                if (g.Contains(x, y))
                {
                    shape[y * w + x] = true;
                    area++;
                }
        return shape;
    }

    private static double TextureFactor(Texture t, double u, double v, double scale) => t switch
    {
        Texture.Spots => Sq(Mod(u, 6 * scale) - 3 * scale) + Sq(Mod(v, 6 * scale) - 3 * scale) < Sq(1.6 * scale) ? 0.55 : 1.0,
        Texture.DiagonalStripes => Mod(u + v, 5 * scale) < 2.5 * scale ? 1.05 : 0.78,
        Texture.Checks => ((long)Math.Floor(u / (3 * scale)) + (long)Math.Floor(v / (3 * scale))) % 2 == 0 ? 1.05 : 0.75,
        Texture.Bands => 0.88 + 0.14 * Math.Sin(2 * Math.PI * u / (5 * scale)),
        Texture.Grid => Mod(u, 5 * scale) < 1.2 * scale || Mod(v, 5 * scale) < 1.2 * scale ? 0.55 : 1.0,
        _ => 0.86 + 0.14 * Math.Cos(2 * Math.PI * Math.Sqrt(u * u + v * v) / (4 * scale)),
    };

    private static Rgb PatternColor(Pattern p, int i, int j, int size)
    {
        var black = new Rgb(0.02, 0.02, 0.02);
        var white = new Rgb(1, 1, 1);
        var c = (size - 1) / 2.0;
        var d = Math.Sqrt(Sq(i - c) + Sq(j - c));
        switch (p)
        {
            case Pattern.Cross:
                return i == j || i + j == size - 1 ? black : white;
            case Pattern.Dot:
                return d <= size / 4.0 ? black : new Rgb(1, 0.9, 0);
            case Pattern.Checks:
            {
                var cell = Math.Max(1, size / 3);
                return (i / cell + j / cell) % 2 == 0 ? new Rgb(1, 0, 1) : white;
            }
            case Pattern.Ring:
                return d <= size / 6.0 ? white : d > size / 4.0 && d <= size / 2.0 ? new Rgb(0, 1, 1) : black;
            case Pattern.VerticalStripes:
                return j % 2 == 0 ? white : black;
            default:
                return i % 2 == 0 ? new Rgb(1, 1, 0) : new Rgb(0, 0.1, 1);
        }
    }

    // ---- finishing --------------------------------------------------------------------------------

    private static void AddNoise(Scene s, SplitMix64 rng)
    {
        for (var i = 0; i < s.Pixels.Length; i++)
            s.Pixels[i] += (rng.NextDouble() + rng.NextDouble() - 1) * (5 / 255.0);
    }

    private static byte[] WithVoidBorder(byte[] mask, int w, int h, int width)
    {
        var result = (byte[])mask.Clone();
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var v = mask[y * w + x];
                for (var yy = Math.Max(0, y - width); yy <= Math.Min(h - 1, y + width) && result[y * w + x] != 255; yy++)
                    for (var xx = Math.Max(0, x - width); xx <= Math.Min(w - 1, x + width); xx++)
                        if (mask[yy * w + xx] != v)
                        {
                            result[y * w + x] = 255;
                            break;
                        }
            }
        return result;
    }

    private static void Fill(Scene s, double x0, double y0, double x1, double y1, Func<double, double, bool> inside, Func<double, double, Rgb> color)
    {
        for (var y = Math.Max(0, (int)Math.Floor(y0)); y <= Math.Min(s.Height - 1, (int)Math.Ceiling(y1)); y++)
            for (var x = Math.Max(0, (int)Math.Floor(x0)); x <= Math.Min(s.Width - 1, (int)Math.Ceiling(x1)); x++)
                if (x >= x0 && x <= x1 && y >= y0 && y <= y1 && inside(x, y)) s.Set(x, y, color(x, y));
    }

    private static double DistanceToSegment(double px, double py, double ax, double ay, double bx, double by)
    {
        double vx = bx - ax, vy = by - ay;
        var t = Math.Clamp(((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy), 0, 1);
        return Math.Sqrt(Sq(px - ax - t * vx) + Sq(py - ay - t * vy));
    }

    private static double Sq(double x) => x * x;

    private static double Mod(double x, double m) => x - m * Math.Floor(x / m);

    private static Rgb Lerp(Rgb a, Rgb b, double t) => a * (1 - t) + b * t;

    private static Rgb Hsv(double hue, double sat, double val)
    {
        hue = Mod(hue, 360) / 60;
        var c = val * sat;
        var x = c * (1 - Math.Abs(Mod(hue, 2) - 1));
        var m = val - c;
        var (r, g, b) = (int)hue switch
        {
            0 => (c, x, 0.0),
            1 => (x, c, 0.0),
            2 => (0.0, c, x),
            3 => (0.0, x, c),
            4 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return new Rgb(r + m, g + m, b + m);
    }

    // ---- small types ------------------------------------------------------------------------------

    private enum Shape { Ellipse, LongEllipse, Blob, Polygon, Rectangle }

    private enum Texture { Spots, DiagonalStripes, Checks, Bands, Grid, Rings }

    private enum Pattern { Cross, Dot, Checks, Ring, VerticalStripes, HorizontalStripes }

    private sealed record ClassStyle(string Name, double Hue, double Saturation, double Value, Shape Shape, Texture Texture, Pattern Pattern);

    private readonly record struct Rgb(double R, double G, double B)
    {
        public static Rgb operator *(Rgb a, double k) => new(a.R * k, a.G * k, a.B * k);
        public static Rgb operator +(Rgb a, Rgb b) => new(a.R + b.R, a.G + b.G, a.B + b.B);
    }

    /// <summary>An image being painted: colours in [0, 1] as doubles, and the mask.</summary>
    private sealed class Scene(int width, int height)
    {
        public int Width { get; } = width;
        public int Height { get; } = height;
        public double[] Pixels { get; } = new double[3 * width * height];
        public byte[] Mask { get; } = new byte[width * height];

        public void Set(int x, int y, Rgb c)
        {
            var i = 3 * (y * Width + x);
            Pixels[i] = c.R;
            Pixels[i + 1] = c.G;
            Pixels[i + 2] = c.B;
        }

        public byte[] ToBytes()
        {
            var bytes = new byte[Pixels.Length];
            for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)Math.Clamp(Math.Round(Pixels[i] * 255), 0, 255);
            return bytes;
        }
    }

    /// <summary>Smooth random values in [0, 1]: bilinear interpolation (smoothstep) of a random grid.</summary>
    private sealed class ValueNoise
    {
        private readonly double[] _grid;
        private readonly int _gw;
        private readonly double _cell;

        public ValueNoise(SplitMix64 rng, int width, int height, double cell)
        {
            _cell = Math.Max(2, cell);
            _gw = (int)Math.Ceiling(width / _cell) + 2;
            var gh = (int)Math.Ceiling(height / _cell) + 2;
            _grid = new double[_gw * gh];
            for (var i = 0; i < _grid.Length; i++) _grid[i] = rng.NextDouble();
        }

        public double At(int x, int y)
        {
            double fx = x / _cell, fy = y / _cell;
            int ix = (int)fx, iy = (int)fy;
            double tx = Smooth(fx - ix), ty = Smooth(fy - iy);
            var top = _grid[iy * _gw + ix] * (1 - tx) + _grid[iy * _gw + ix + 1] * tx;
            var bottom = _grid[(iy + 1) * _gw + ix] * (1 - tx) + _grid[(iy + 1) * _gw + ix + 1] * tx;
            return top * (1 - ty) + bottom * ty;
        }

        private static double Smooth(double t) => t * t * (3 - 2 * t);
    }

    /// <summary>A shape in image coordinates: centre, rotation and an inside test.</summary>
    private sealed class ShapeGeometry
    {
        private Shape _kind;
        private double _a, _b;                 // semi-axes (ellipse, rectangle)
        private double[] _harmonics = [];       // blob: amplitude, phase pairs for k = 2, 3, 4
        private (double X, double Y)[] _polygon = [];

        private double _cos, _sin;

        public double CenterX { get; private set; }
        public double CenterY { get; private set; }
        public double Angle { get; private set; }
        public double Radius { get; private set; }      // typical size, for the eye search
        public double Extent { get; private set; }      // bounding radius
        public double NominalArea { get; private set; }

        public static ShapeGeometry Random(Shape kind, SplitMix64 rng, int w, int h, double scale)
        {
            var r = rng.Uniform(12, 21) * scale;
            var g = new ShapeGeometry { _kind = kind, Angle = rng.Uniform(0, Math.PI), Radius = r };
            g._cos = Math.Cos(g.Angle);
            g._sin = Math.Sin(g.Angle);
            switch (kind)
            {
                case Shape.Ellipse:
                    g._a = r;
                    g._b = r * rng.Uniform(0.65, 0.85);
                    g.Extent = g._a;
                    g.NominalArea = Math.PI * g._a * g._b;
                    break;
                case Shape.LongEllipse:
                    g._a = r * 1.35;
                    g._b = g._a * rng.Uniform(0.40, 0.55);
                    g.Extent = g._a;
                    g.NominalArea = Math.PI * g._a * g._b;
                    break;
                case Shape.Rectangle:
                    g._a = r * 0.95;
                    g._b = g._a * rng.Uniform(0.55, 0.90);
                    g.Extent = Math.Sqrt(g._a * g._a + g._b * g._b);
                    g.NominalArea = 4 * g._a * g._b;
                    break;
                case Shape.Blob:
                    g._harmonics = new double[6];
                    for (var k = 0; k < 3; k++)
                    {
                        g._harmonics[2 * k] = rng.Uniform(0.05, 0.15);
                        g._harmonics[2 * k + 1] = rng.Uniform(0, 2 * Math.PI);
                    }
                    g._a = r;
                    g.Extent = r * 1.5;
                    g.NominalArea = Math.PI * r * r;
                    break;
                default:
                {
                    var n = rng.NextInt(5, 8);
                    g._polygon = new (double, double)[n];
                    for (var i = 0; i < n; i++)
                    {
                        var theta = 2 * Math.PI * (i + rng.Uniform(-0.25, 0.25)) / n;
                        var rr = r * rng.Uniform(0.85, 1.1);
                        g._polygon[i] = (rr * Math.Cos(theta), rr * Math.Sin(theta));
                    }
                    g.Extent = r * 1.1;
                    g.NominalArea = 0.5 * n * r * r * Math.Sin(2 * Math.PI / n);
                    break;
                }
            }
            var margin = 0.6 * r;
            g.CenterX = rng.Uniform(margin, w - margin);
            g.CenterY = rng.Uniform(margin, h - margin);
            return g;
        }

        public bool Contains(double x, double y)
        {
            double dx = x - CenterX, dy = y - CenterY;
            double u = _cos * dx + _sin * dy, v = -_sin * dx + _cos * dy;
            switch (_kind)
            {
                case Shape.Ellipse:
                case Shape.LongEllipse:
                    return Sq(u / _a) + Sq(v / _b) <= 1;
                case Shape.Rectangle:
                    return Math.Abs(u) <= _a && Math.Abs(v) <= _b;
                case Shape.Blob:
                {
                    var theta = Math.Atan2(v, u);
                    var rr = 1.0;
                    for (var k = 0; k < 3; k++) rr += _harmonics[2 * k] * Math.Cos((k + 2) * theta + _harmonics[2 * k + 1]);
                    return u * u + v * v <= Sq(_a * rr);
                }
                default:
                {
                    var inside = false;   // even-odd rule
                    for (int i = 0, j = _polygon.Length - 1; i < _polygon.Length; j = i++)
                    {
                        var (xi, yi) = _polygon[i];
                        var (xj, yj) = _polygon[j];
                        if ((yi > v) != (yj > v) && u < (xj - xi) * (v - yi) / (yj - yi) + xi) inside = !inside;
                    }
                    return inside;
                }
            }
        }
    }

    /// <summary>SplitMix64 (Steele, Lea, Flood 2014): a small, fully specified generator, so the data
    /// does not depend on the runtime's <see cref="System.Random"/> implementation.</summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public ulong NextULong()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [0, 1).</summary>
        public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

        public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

        /// <summary>Uniform integer in [lo, hi).</summary>
        public int NextInt(int lo, int hi) => lo + (int)(NextULong() % (ulong)(hi - lo));
    }
}
