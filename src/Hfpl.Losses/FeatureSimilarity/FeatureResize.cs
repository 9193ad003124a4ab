namespace Hfpl.Losses;

/// <summary>How <see cref="losses.feature_similarity_features"/> brings an image to the CAM grid.</summary>
public enum FeatureResize
{
    /// <summary>
    /// Bilinear with align_corners = true, as docs/method.md and the authors' code do: each cell reads the colour near one
    /// image point. With cells many pixels wide, texture aliases into colour edges that are not there.
    /// </summary>
    Bilinear,

    /// <summary>
    /// Area averaging (adaptive average pooling): each cell is the mean colour of its pixels, so texture finer than a
    /// cell averages out and cells of one region share a colour. Worth it when a cell spans many pixels
    /// (output stride 16 and above).
    /// </summary>
    Area,
}
