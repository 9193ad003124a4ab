using Hfpl.Evaluation;
using Hfpl.Samples.Data;

namespace Hfpl.Samples.Inference;

/// <summary>
/// The contour F-score of pseudo-labels against the masks and, where a dataset has them, the precise masks, accumulated image
/// by image; images without a mask are skipped. Shared by inference and by <c>hfpl eval</c>.
/// </summary>
public sealed class ContourScoring
{
    readonly ContourFScore masks;
    readonly ContourFScore precise;

    /// <summary>Empty accumulators over the foreground classes of <paramref name="info"/>.</summary>
    public ContourScoring(DatasetInfo info)
    {
        var foreground = Enumerable.Range(0, info.NumLabels).Select(info.LabelToClass).ToArray();
        masks = new ContourFScore(info.NumClasses, foreground, info.IgnoreIndex);
        precise = new ContourFScore(info.NumClasses, foreground, info.IgnoreIndex);
    }

    /// <summary>How many images had a precise mask.</summary>
    public int PreciseImages { get; private set; }

    /// <summary>How many images had a mask.</summary>
    public int ScoredImages { get; private set; }

    /// <summary>Adds one image's pseudo-label.</summary>
    public void Add(IndexMask prediction, SegmentationSample sample)
    {
        if (sample.HasMask)
        {
            masks.Add(prediction.Values, sample.Mask.Values, sample.Height, sample.Width);
            ScoredImages++;
        }
        if (sample.PreciseMask is not { } hq) return;
        precise.Add(prediction.Values, hq.Values, sample.Height, sample.Width);
        PreciseImages++;
    }

    /// <summary>Both means against the masks; NaN (null in JSON) when no image had a mask.</summary>
    public ContourScores Masks => ScoredImages > 0 ? ContourScores.Of(masks) : new ContourScores(double.NaN, double.NaN);

    /// <summary>Both means against the precise masks, or null when no image had one.</summary>
    public ContourScores? Precise => PreciseImages > 0 ? ContourScores.Of(precise) : null;
}
