namespace Hfpl.Evaluation;

/// <summary>How <see cref="BackgroundThresholdSweep"/> turns class activation maps into pixel labels.</summary>
public enum BackgroundMode
{
    /// <summary>
    /// The data has a background class 0 and CAM channel c is class c + 1; the background score is a swept
    /// threshold t: label = 0 unless the largest CAM of a present class is strictly greater than t, else 1 + that channel.
    /// </summary>
    Threshold,

    /// <summary>
    /// The data has no background class (e.g. MSRC-21) and CAM channel c is class c: label = argmax over the present
    /// classes; an image with no present class gets void (left out of the counts). No threshold is swept.
    /// </summary>
    NoBackground,
}
