namespace Hfpl.Samples.Data;

/// <summary>
/// Reads a dataset whose classes are all labelled (MSRC-21 labels stuff such as grass and sky as classes) as
/// objects on a background, the protocol the method and VOC use: the named classes (and an existing background
/// class) become class 0 "background", the other classes keep their order as classes 1..K, void stays void.
/// </summary>
/// <remarks>
/// With a background class the pseudo-labels come from the background-threshold sweep of docs/method.md section 4, so a
/// CAM that gives up pixels hands them to the threshold, not to the stuff class around the object.
/// </remarks>
public sealed class BackgroundClassMap
{
    readonly byte[] lookup;

    /// <summary>Builds the map for <paramref name="source"/>.</summary>
    /// <param name="source">The dataset's own classes.</param>
    /// <param name="backgroundClasses">Names of the classes that become background (each must be a class of <paramref name="source"/>).</param>
    /// <exception cref="ArgumentException">A name is not a class, is given twice, or no object class would remain.</exception>
    public BackgroundClassMap(DatasetInfo source, IReadOnlyCollection<string> backgroundClasses)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(backgroundClasses);
        if (backgroundClasses.Count == 0) throw new ArgumentException("backgroundClasses must name at least one class.", nameof(backgroundClasses));
        var merged = new HashSet<int>();
        foreach (var name in backgroundClasses)
        {
            var index = source.ClassNames.ToList().IndexOf(name);
            if (index < 0)
                throw new ArgumentException($"background class '{name}' is not a class of {source.Name} ({string.Join(", ", source.ClassNames)}).", nameof(backgroundClasses));
            if (!merged.Add(index)) throw new ArgumentException($"background class '{name}' is named twice.", nameof(backgroundClasses));
        }
        if (source.HasBackground) merged.Add(0);
        var objects = Enumerable.Range(0, source.NumClasses).Where(c => !merged.Contains(c)).ToArray();
        if (objects.Length == 0) throw new ArgumentException("backgroundClasses leave no object class.", nameof(backgroundClasses));

        // Values that are no class of the source stay as they are, so the sample's own check reports them (they are
        // at least the source's class count, so no class of the merged classes either).
        lookup = Enumerable.Range(0, 256).Select(v => (byte)v).ToArray();
        foreach (var c in merged) lookup[c] = 0;
        for (var i = 0; i < objects.Length; i++) lookup[objects[i]] = (byte)(i + 1);
        BackgroundClasses = backgroundClasses.ToArray();
        Source = source;
        Info = new DatasetInfo(source.Name, ["background", .. objects.Select(c => source.ClassNames[c])], hasBackground: true, source.IgnoreIndex);
    }

    /// <summary>The dataset's own classes.</summary>
    public DatasetInfo Source { get; }

    /// <summary>The classes after the merge: background, then the object classes in their original order.</summary>
    public DatasetInfo Info { get; }

    /// <summary>The names that were merged into background.</summary>
    public IReadOnlyList<string> BackgroundClasses { get; }

    /// <summary>The new class index of source class <paramref name="sourceClass"/> (void stays void).</summary>
    public byte this[int sourceClass] => lookup[sourceClass];

    /// <summary>A new mask with every class mapped; void and values that are no class of the source are kept.</summary>
    public IndexMask Apply(IndexMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var values = new byte[mask.Values.Length];
        for (var i = 0; i < values.Length; i++) values[i] = lookup[mask.Values[i]];
        return new IndexMask(mask.Width, mask.Height, values);
    }
}
