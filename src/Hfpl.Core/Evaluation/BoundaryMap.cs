using System.Numerics;

namespace Hfpl.Evaluation;

// Boundary map of the DAVIS boundary measure (Perazzi et al., CVPR 2016; `seg2bmap` of the DAVIS evaluation code):
// a pixel is on the boundary when it differs from its right, lower or lower-right neighbour (docs/method.md section 4).

/// <summary>
/// Boundary maps of binary masks: a pixel is a boundary pixel when its mask value differs from that of its right,
/// lower or lower-right neighbour.
/// </summary>
/// <remarks>
/// Pixels on the last row or column compare only with the neighbours that exist (the last row with its right
/// neighbour, the last column with its lower neighbour, the bottom-right pixel with none), as DAVIS's
/// <c>seg2bmap</c> does: the image border is not a boundary, so a mask covering the whole image has no boundary pixel.
/// The boundary lies on the upper side of a horizontal edge and the left side of a vertical one; a mask and its
/// complement have the same boundary.
/// </remarks>
public static class BoundaryMap
{
    /// <summary>The boundary map of a binary mask.</summary>
    /// <param name="mask">Binary mask, shape (H, W) in row-major order.</param>
    /// <param name="height">Number of rows H, positive.</param>
    /// <param name="width">Number of columns W, positive.</param>
    /// <returns>A new (H, W) map, true at boundary pixels.</returns>
    public static bool[] FromMask(ReadOnlySpan<bool> mask, int height, int width)
    {
        var boundary = new bool[mask.Length];
        FromMask(mask, height, width, boundary);
        return boundary;
    }

    /// <summary>Writes the boundary map of a binary mask into <paramref name="boundary"/>.</summary>
    /// <param name="mask">Binary mask, shape (H, W) in row-major order.</param>
    /// <param name="height">Number of rows H, positive.</param>
    /// <param name="width">Number of columns W, positive.</param>
    /// <param name="boundary">Output, shape (H, W) in row-major order; every entry is written.</param>
    public static void FromMask(ReadOnlySpan<bool> mask, int height, int width, Span<bool> boundary)
    {
        CheckGrid(mask.Length, height, width, nameof(mask));
        CheckGrid(boundary.Length, height, width, nameof(boundary));
        for (var y = 0; y < height; y++)
        {
            var hasLower = y + 1 < height;
            for (var x = 0; x < width; x++)
            {
                var i = y * width + x;
                var v = mask[i];
                var hasRight = x + 1 < width;
                boundary[i] = (hasRight && mask[i + 1] != v)
                    || (hasLower && mask[i + width] != v)
                    || (hasRight && hasLower && mask[i + width + 1] != v);
            }
        }
    }

    /// <summary>
    /// The boundary pixels of every class's binary mask (label == class) in one pass over a label map, appended in
    /// increasing pixel order to <paramref name="boundaryPixels"/>[class]. Labels outside [0, classes) (void) belong to
    /// no class, so they are background in every binary mask. Values are trusted to fit in an int.
    /// </summary>
    internal static void CollectClassBoundaries<T>(ReadOnlySpan<T> labels, int height, int width, List<int>[] boundaryPixels)
        where T : unmanaged, IBinaryInteger<T>
    {
        var classes = (uint)boundaryPixels.Length;
        for (var y = 0; y < height; y++)
        {
            var hasLower = y + 1 < height;
            for (var x = 0; x < width; x++)
            {
                var i = y * width + x;
                var a = int.CreateTruncating(labels[i]);
                // For class c, masks differ at (p, n) exactly when the labels differ and one of them is c.
                var differs = false;
                var hasRight = x + 1 < width;
                if (hasRight) differs |= Compare(a, int.CreateTruncating(labels[i + 1]), i, classes, boundaryPixels);
                if (hasLower) differs |= Compare(a, int.CreateTruncating(labels[i + width]), i, classes, boundaryPixels);
                if (hasRight && hasLower) differs |= Compare(a, int.CreateTruncating(labels[i + width + 1]), i, classes, boundaryPixels);
                if (differs && (uint)a < classes) boundaryPixels[a].Add(i);
            }
        }
    }

    /// <summary>Records pixel <paramref name="i"/> for the neighbour's class when the labels differ; returns whether they differ.</summary>
    static bool Compare(int own, int neighbour, int i, uint classes, List<int>[] boundaryPixels)
    {
        if (neighbour == own) return false;
        if ((uint)neighbour < classes)
        {
            var list = boundaryPixels[neighbour];
            if (list.Count == 0 || list[^1] != i) list.Add(i); // two neighbours of one class add the pixel once
        }
        return true;
    }

    internal static void CheckGrid(int length, int height, int width, string name)
    {
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be positive.");
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive.");
        if (length != (long)height * width)
            throw new ArgumentException($"{name} must have shape (H, W) = ({height}, {width}), i.e. {(long)height * width} values, got {length}.", name);
    }
}
