using Hfpl.Samples.Inference;

namespace Hfpl.Samples.Tests.Inference;

public class ShardTests
{
    [Theory]
    [InlineData(10, 3)]
    [InlineData(7, 7)]
    [InlineData(3, 5)]
    [InlineData(1, 1)]
    public void The_shards_hold_every_image_once(int total, int shards)
    {
        var all = Enumerable.Range(0, shards).SelectMany(i => new Shard(i, shards).Positions(total)).ToList();
        Assert.Equal(Enumerable.Range(0, total), all.Order());
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void Shard_i_of_n_takes_positions_i_modulo_n_and_parses_its_text()
    {
        Assert.Equal([1, 4, 7], Shard.Parse("1/3").Positions(9));
        Assert.Equal(new Shard(2, 4), Shard.Parse("2/4"));
        Assert.Equal("2/4", new Shard(2, 4).ToString());
        foreach (var bad in new[] { "3/3", "-1/2", "1", "a/b", "0/0", "1/2/3" })
            Assert.Throws<FormatException>(() => Shard.Parse(bad));
    }
}
