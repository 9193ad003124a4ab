using Hfpl.Samples.Backbones;

namespace Hfpl.Samples.Tests.Backbones;

[Collection(ResNet18Collection.Name)]
public sealed class ResNet18OnnxGraphTests(ResNet18Fixture fixture)
{
    [Fact]
    public void Walks_the_cntk_layout()
    {
        var graph = ResNet18OnnxGraph.Read(fixture.OnnxPath);
        Assert.Equal([64L, 3, 7, 7], graph.Stem.Weight.Dims);
        Assert.Equal([2, 2, 2, 3], graph.Stages.Select(s => s.Count));
        // Projection shortcuts exactly where the channel count changes: first block of stages 2 to 4.
        Assert.Equal([false, false, true, false, true, false, true, false, false],
            graph.Stages.SelectMany(s => s).Select(b => b.Shortcut is not null));
        Assert.Equal([512L, 256, 1, 1], graph.Stages[3][0].Shortcut!.Weight.Dims);
        Assert.All(graph.Stages.SelectMany(s => s), b => Assert.Equal(1e-5f, b.Conv2.Epsilon));
        Assert.Equal(4, graph.StageOutputs.Distinct().Count());
    }

    [Fact]
    public void Reads_float_data_as_stored()
    {
        var graph = ResNet18OnnxGraph.Read(fixture.OnnxPath);
        var values = ResNet18OnnxGraph.Values(graph.Stem.Variance);
        Assert.Equal(64, values.Length);
        Assert.All(values, v => Assert.True(v > 0));
    }
}
