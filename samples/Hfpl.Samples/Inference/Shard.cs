namespace Hfpl.Samples.Inference;

/// <summary>
/// A deterministic share of a dataset for one of several processes or machines: shard i of n takes the images whose position
/// in the dataset's order is i modulo n. The shards are disjoint and together hold every image once, so their outputs merge by
/// copying folders.
/// </summary>
/// <param name="Index">i, 0..n-1.</param>
/// <param name="Count">n, at least 1.</param>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole dataset.</summary>
    public static Shard All => new(0, 1);

    /// <summary>Parses "i/n".</summary>
    /// <exception cref="FormatException">Not of the form i/n with 0 &lt;= i &lt; n.</exception>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out var i) && int.TryParse(parts[1], out var n) && n >= 1 && i >= 0 && i < n)
            return new Shard(i, n);
        throw new FormatException($"a shard is i/n with 0 <= i < n (e.g. 0/4), got '{text}'");
    }

    /// <summary>The positions of this shard among <paramref name="total"/> images, in order.</summary>
    public IEnumerable<int> Positions(int total)
    {
        if (Count < 1 || Index < 0 || Index >= Count) throw new InvalidOperationException($"invalid shard {Index}/{Count}.");
        for (var p = Index; p < total; p += Count) yield return p;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Count}";
}
