namespace Hfpl.Evaluation;

// Disk structuring element of the DAVIS boundary measure (skimage.morphology.disk): offsets with dy^2 + dx^2 <= r^2.

/// <summary>
/// Binary dilation with a disk of integer radius r, the set of offsets (dy, dx) with dy² + dx² ≤ r²: an output pixel
/// is set when a set input pixel lies within that disk around it. Exact (a disk is not separable); done row by row
/// with the half-width of the disk at each row offset.
/// </summary>
public static class DiskDilation
{
    /// <summary>The dilation of a binary map by a disk of radius <paramref name="radius"/>.</summary>
    /// <param name="map">Binary map, shape (H, W) in row-major order.</param>
    /// <param name="height">Number of rows H, positive.</param>
    /// <param name="width">Number of columns W, positive.</param>
    /// <param name="radius">Disk radius r ≥ 0 in pixels; 0 copies the map.</param>
    /// <returns>A new (H, W) map.</returns>
    public static bool[] Apply(ReadOnlySpan<bool> map, int height, int width, int radius)
    {
        var dilated = new bool[map.Length];
        Apply(map, height, width, radius, dilated);
        return dilated;
    }

    /// <summary>Writes the dilation of a binary map by a disk of radius <paramref name="radius"/> into <paramref name="dilated"/>.</summary>
    /// <param name="map">Binary map, shape (H, W) in row-major order.</param>
    /// <param name="height">Number of rows H, positive.</param>
    /// <param name="width">Number of columns W, positive.</param>
    /// <param name="radius">Disk radius r ≥ 0 in pixels; 0 copies the map.</param>
    /// <param name="dilated">Output, shape (H, W) in row-major order, not overlapping <paramref name="map"/>; every entry is written.</param>
    public static void Apply(ReadOnlySpan<bool> map, int height, int width, int radius, Span<bool> dilated)
    {
        BoundaryMap.CheckGrid(map.Length, height, width, nameof(map));
        BoundaryMap.CheckGrid(dilated.Length, height, width, nameof(dilated));
        if (radius < 0) throw new ArgumentOutOfRangeException(nameof(radius), radius, "radius must not be negative.");
        var halfWidths = HalfWidths(radius);

        // Horizontal distance from each pixel to the nearest set pixel of its row (int.MaxValue if the row has none).
        var nearest = new int[map.Length];
        for (var y = 0; y < height; y++)
        {
            var row = y * width;
            var last = -1;
            for (var x = 0; x < width; x++)
            {
                if (map[row + x]) last = x;
                nearest[row + x] = last < 0 ? int.MaxValue : x - last;
            }
            last = -1;
            for (var x = width - 1; x >= 0; x--)
            {
                if (map[row + x]) last = x;
                if (last >= 0) nearest[row + x] = Math.Min(nearest[row + x], last - x);
            }
        }

        for (var y = 0; y < height; y++)
        {
            var top = Math.Max(0, y - radius);
            var bottom = Math.Min(height - 1, y + radius);
            for (var x = 0; x < width; x++)
            {
                var hit = false;
                for (var yy = top; yy <= bottom && !hit; yy++)
                    hit = nearest[yy * width + x] <= halfWidths[yy - y + radius];
                dilated[y * width + x] = hit;
            }
        }
    }

    /// <summary>For dy = -r..r (index dy + r), the largest dx with dy² + dx² ≤ r², computed in integers.</summary>
    internal static int[] HalfWidths(int radius)
    {
        var halfWidths = new int[2 * radius + 1];
        var r2 = (long)radius * radius;
        for (var dy = -radius; dy <= radius; dy++)
        {
            var dx = 0;
            while ((long)(dx + 1) * (dx + 1) + (long)dy * dy <= r2) dx++;
            halfWidths[dy + radius] = dx;
        }
        return halfWidths;
    }

    /// <summary>
    /// How many of <paramref name="pixels"/> have a pixel of <paramref name="targets"/> within the disk, i.e. fall on the
    /// dilation of the targets, without dilating: each pixel scans only the rows of its disk. <paramref name="scratch"/>
    /// (at least H * W entries) must be all false and is left all false.
    /// </summary>
    internal static long CountWithinDisk(ReadOnlySpan<int> pixels, ReadOnlySpan<int> targets, int height, int width,
        ReadOnlySpan<int> halfWidths, Span<bool> scratch)
    {
        foreach (var t in targets) scratch[t] = true;
        var radius = halfWidths.Length / 2;
        long count = 0;
        foreach (var p in pixels)
        {
            var y = p / width;
            var x = p - y * width;
            // Rows in order 0, -1, +1, -2, +2, ... so matched pixels usually stop at the first row.
            for (var j = 0; j <= 2 * radius; j++)
            {
                var dy = (j & 1) == 0 ? j / 2 : -(j + 1) / 2;
                var yy = y + dy;
                if ((uint)yy >= (uint)height) continue;
                var half = halfWidths[dy + radius];
                var x0 = Math.Max(0, x - half);
                var x1 = Math.Min(width - 1, x + half);
                if (scratch.Slice(yy * width + x0, x1 - x0 + 1).Contains(true))
                {
                    count++;
                    break;
                }
            }
        }
        foreach (var t in targets) scratch[t] = false;
        return count;
    }
}
