using Hfpl.Evaluation;

namespace Hfpl.Core.Tests.Evaluation;

public class DiskDilationTests
{
    [Fact]
    public void Dilating_one_pixel_gives_the_disk_dy2_plus_dx2_at_most_r2()
    {
        const int size = 15, center = 7, radius = 5;
        var map = new bool[size * size];
        map[center * size + center] = true;

        var dilated = DiskDilation.Apply(map, size, size, radius);

        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                int dy = y - center, dx = x - center;
                Assert.Equal(dy * dy + dx * dx <= radius * radius, dilated[y * size + x]);
            }
        Assert.Equal(81, dilated.Count(v => v)); // lattice points in a disk of radius 5
        Assert.True(dilated[(center + 3) * size + center + 4]); // 9 + 16 = 25
        Assert.True(dilated[(center + 5) * size + center]);
        Assert.False(dilated[(center + 4) * size + center + 4]); // 32 > 25, inside the square
        Assert.False(dilated[(center + 5) * size + center + 1]); // 26 > 25
    }

    [Fact]
    public void Half_widths_of_the_radius_5_disk()
    {
        Assert.Equal([0, 3, 4, 4, 4, 5, 4, 4, 4, 3, 0], DiskDilation.HalfWidths(5));
        Assert.Equal([0], DiskDilation.HalfWidths(0));
        Assert.Equal([0, 1, 0], DiskDilation.HalfWidths(1));
    }

    [Fact]
    public void Disk_is_clipped_at_the_image_border()
    {
        var map = new bool[5 * 5];
        map[0] = true;
        var dilated = DiskDilation.Apply(map, 5, 5, 2);
        for (var y = 0; y < 5; y++)
            for (var x = 0; x < 5; x++)
                Assert.Equal(y * y + x * x <= 4, dilated[y * 5 + x]);
    }

    [Fact]
    public void Radius_zero_copies_the_map()
    {
        var random = new Random(5);
        var map = Enumerable.Range(0, 30).Select(_ => random.Next(3) == 0).ToArray();
        Assert.Equal(map, DiskDilation.Apply(map, 5, 6, 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Counting_pixels_within_the_disk_equals_counting_them_on_the_dilated_map(int radius)
    {
        const int h = 23, w = 31;
        var random = new Random(radius);
        var targets = Enumerable.Range(0, h * w).Where(_ => random.Next(40) == 0).ToArray();
        var pixels = Enumerable.Range(0, h * w).Where(_ => random.Next(4) == 0).ToArray();
        var targetMap = new bool[h * w];
        foreach (var t in targets) targetMap[t] = true;
        var dilated = DiskDilation.Apply(targetMap, h, w, radius);
        var scratch = new bool[h * w];

        var count = DiskDilation.CountWithinDisk(pixels, targets, h, w, DiskDilation.HalfWidths(radius), scratch);

        Assert.Equal(pixels.Count(p => dilated[p]), count);
        Assert.All(scratch, v => Assert.False(v));
    }

    [Fact]
    public void Bad_arguments_throw_naming_the_argument()
    {
        Assert.Equal("radius", Assert.Throws<ArgumentOutOfRangeException>(() => DiskDilation.Apply(new bool[4], 2, 2, -1)).ParamName);
        Assert.Equal("map", Assert.Throws<ArgumentException>(() => DiskDilation.Apply(new bool[3], 2, 2, 1)).ParamName);
        Assert.Equal("dilated", Assert.Throws<ArgumentException>(() => DiskDilation.Apply(new bool[4], 2, 2, 1, new bool[5])).ParamName);
    }
}
