using Hfpl.Samples.Backbones;

namespace Hfpl.Samples.Tests.Backbones;

public sealed class BasicBlockTests
{
    [Fact]
    public void Identity_block_keeps_the_shape()
    {
        using var _ = NewDisposeScope();
        using var block = new BasicBlock("b", 8, 8);
        Assert.Null(block.Shortcut);
        Assert.Equal([2L, 8, 9, 7], block.forward(randn(2, 8, 9, 7)).shape);
    }

    [Fact]
    public void Strided_block_projects_and_rounds_the_grid_up()
    {
        using var _ = NewDisposeScope();
        using var block = new BasicBlock("b", 8, 16, stride: 2);
        Assert.NotNull(block.Shortcut);
        Assert.Equal([2L, 16, 5, 4], block.forward(randn(2, 8, 9, 7)).shape);
    }

    [Fact]
    public void Dilation_keeps_the_grid_and_the_weight_shapes()
    {
        using var _ = NewDisposeScope();
        using var plain = new BasicBlock("b", 8, 16, stride: 1);
        using var dilated = new BasicBlock("b", 8, 16, stride: 1, firstDilation: 2, dilation: 4);
        Assert.Equal(plain.state_dict().Select(p => p.Value.shape), dilated.state_dict().Select(p => p.Value.shape));
        Assert.Equal([1L, 16, 9, 7], dilated.forward(randn(1, 8, 9, 7)).shape);
    }

    [Fact]
    public void Output_is_non_negative()
    {
        using var _ = NewDisposeScope();
        using var block = new BasicBlock("b", 4, 4);
        Assert.True(block.forward(randn(1, 4, 6, 6)).min().item<float>() >= 0);
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BasicBlock("b", 4, 4, stride: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BasicBlock("b", 4, 4, firstDilation: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BasicBlock("b", 4, 4, dilation: 0));
    }
}
