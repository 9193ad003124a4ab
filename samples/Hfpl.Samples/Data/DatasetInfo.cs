namespace Hfpl.Samples.Data;

/// <summary>
/// What a dataset's masks and labels mean: class names in index order, whether class 0 is a background
/// class, and the ignore (void) index.
/// </summary>
/// <remarks>
/// Image-level labels cover the <em>label classes</em>: the foreground classes 1..C-1 when class 0 is
/// background (VOC: K = 20 of C = 21), every class otherwise (MSRC-21: K = C = 21). Label k is class
/// <see cref="LabelToClass"/>(k). This matches the (B, K) label / (B, C, h, w) logit convention of the method.
/// </remarks>
public sealed class DatasetInfo
{
    /// <summary>The usual void index of VOC and MSRC masks.</summary>
    public const int DefaultIgnoreIndex = 255;

    /// <summary>Describes a dataset; <paramref name="ignoreIndex"/> must be a byte value that is not a class.</summary>
    public DatasetInfo(string name, IReadOnlyList<string> classNames, bool hasBackground, int ignoreIndex = DefaultIgnoreIndex)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count == 0 || classNames.Count > 255)
            throw new ArgumentException($"classNames must hold 1..255 names, got {classNames.Count}.", nameof(classNames));
        if (hasBackground && classNames.Count < 2)
            throw new ArgumentException("A dataset with a background class needs at least one other class.", nameof(hasBackground));
        if (ignoreIndex < classNames.Count || ignoreIndex > 255)
            throw new ArgumentOutOfRangeException(nameof(ignoreIndex), ignoreIndex,
                $"ignoreIndex must be a byte value not used by a class ({classNames.Count}..255).");
        Name = name;
        ClassNames = classNames.ToArray();
        HasBackground = hasBackground;
        IgnoreIndex = ignoreIndex;
    }

    /// <summary>A short name for messages and file names (e.g. "voc2012").</summary>
    public string Name { get; }

    /// <summary>Class names in index order; index i is mask value i.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of classes C, background included when there is one.</summary>
    public int NumClasses => ClassNames.Count;

    /// <summary>True when class 0 is a background class that image-level labels leave out.</summary>
    public bool HasBackground { get; }

    /// <summary>The mask value for void pixels, ignored by losses and metrics.</summary>
    public int IgnoreIndex { get; }

    /// <summary>Number of image-level labels K: C - 1 with a background class, C without.</summary>
    public int NumLabels => HasBackground ? NumClasses - 1 : NumClasses;

    /// <summary>The class index of label <paramref name="label"/> (0..K-1).</summary>
    public int LabelToClass(int label)
    {
        if ((uint)label >= (uint)NumLabels) throw new ArgumentOutOfRangeException(nameof(label), label, $"label must be in 0..{NumLabels - 1}.");
        return HasBackground ? label + 1 : label;
    }

    /// <summary>The label index of class <paramref name="classIndex"/>, or -1 for the background class.</summary>
    public int ClassToLabel(int classIndex)
    {
        if ((uint)classIndex >= (uint)NumClasses) throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"classIndex must be in 0..{NumClasses - 1}.");
        return HasBackground ? classIndex - 1 : classIndex;
    }

    /// <summary>PASCAL VOC 2012: background plus 20 object classes, void 255.</summary>
    public static DatasetInfo Voc2012 { get; } = new("voc2012",
        ["background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
         "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor"],
        hasBackground: true);

    /// <summary>MSRC-21 (standard 21-class protocol, horse and mountain mapped to void): no background class.</summary>
    public static DatasetInfo Msrc21 { get; } = new("msrc21",
        ["building", "grass", "tree", "cow", "sheep", "sky", "aeroplane", "water", "face", "car", "bicycle",
         "flower", "sign", "bird", "book", "chair", "road", "cat", "dog", "body", "boat"],
        hasBackground: false);
}
