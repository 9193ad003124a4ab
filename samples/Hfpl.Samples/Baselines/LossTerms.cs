using static TorchSharp.torch;

namespace Hfpl.Samples.Baselines;

/// <summary>The named loss terms of one training step; <see cref="Total"/> is their sum. Disposing disposes every term.</summary>
public sealed class LossTerms : IDisposable
{
    readonly List<(string Name, Tensor Value)> terms = [];

    /// <summary>Adds a term (0-dim tensor); the collection takes ownership.</summary>
    public LossTerms Add(string name, Tensor value)
    {
        terms.Add((name, value));
        return this;
    }

    /// <summary>The terms in the order they were added.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> Terms => terms;

    /// <summary>The sum of all terms (a new tensor the caller disposes).</summary>
    public Tensor Total()
    {
        if (terms.Count == 0) throw new InvalidOperationException("No loss terms.");
        var total = terms[0].Value.alias();
        for (var i = 1; i < terms.Count; i++)
        {
            var next = total + terms[i].Value;
            total.Dispose();
            total = next;
        }
        return total;
    }

    /// <summary>Each term's value as a number.</summary>
    public IReadOnlyDictionary<string, double> Values() => terms.ToDictionary(t => t.Name, t => t.Value.detach().to(ScalarType.Float64).item<double>());

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, value) in terms) value.Dispose();
        terms.Clear();
    }
}
