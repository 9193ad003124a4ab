using System.Collections;

namespace Hfpl.Samples.Data;

/// <summary>
/// A list of segmentation samples with a dataset description. Every access reads (or generates) the
/// sample anew, so a dataset costs no memory; copy it to a list to keep samples in memory.
/// </summary>
public abstract class SegmentationDataset : IReadOnlyList<SegmentationSample>
{
    /// <summary>Sets the dataset description.</summary>
    protected SegmentationDataset(DatasetInfo info) => Info = info ?? throw new ArgumentNullException(nameof(info));

    /// <summary>Class names, class count, background and ignore index.</summary>
    public DatasetInfo Info { get; }

    /// <summary>The sample ids in order.</summary>
    public abstract IReadOnlyList<string> Ids { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Ids.Count;

    /// <summary>Reads sample <paramref name="index"/>.</summary>
    /// <exception cref="InvalidDataException">A file is corrupt or the mask does not fit the image; the message names the file.</exception>
    /// <exception cref="FileNotFoundException">A file has gone missing since the dataset was opened.</exception>
    public SegmentationSample this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in 0..{Count - 1}.");
            return Read(index);
        }
    }

    /// <summary>The position of <paramref name="id"/>, or -1.</summary>
    public int IndexOf(string id)
    {
        for (var i = 0; i < Ids.Count; i++)
            if (string.Equals(Ids[i], id, StringComparison.Ordinal)) return i;
        return -1;
    }

    /// <summary>Reads or generates sample <paramref name="index"/> (already range-checked).</summary>
    protected abstract SegmentationSample Read(int index);

    /// <inheritdoc />
    public IEnumerator<SegmentationSample> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return Read(i);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
