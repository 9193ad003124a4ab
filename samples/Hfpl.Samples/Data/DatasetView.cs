using System.Collections;

namespace Hfpl.Samples.Data;

/// <summary>Some of a dataset's samples, by position, read lazily like the dataset itself (for shards).</summary>
public sealed class DatasetView(SegmentationDataset dataset, IReadOnlyList<int> positions) : IReadOnlyList<SegmentationSample>
{
    /// <summary>The sample at position <paramref name="index"/> of the view.</summary>
    public SegmentationSample this[int index] => dataset[positions[index]];

    /// <summary>How many samples the view holds.</summary>
    public int Count => positions.Count;

    /// <inheritdoc />
    public IEnumerator<SegmentationSample> GetEnumerator()
    {
        foreach (var p in positions) yield return dataset[p];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
