using Hfpl.Evaluation;

namespace Hfpl.Core.Tests.Evaluation;

public class BoundaryMapTests
{
    static bool[] Mask(params string[] rows) => string.Concat(rows).Select(ch => ch == '1').ToArray();

    [Fact]
    public void Square_boundary_matches_hand_computation_pixel_by_pixel()
    {
        var mask = Mask(
            "0000",
            "0110",
            "0110",
            "0000");
        // A pixel is on the boundary when it differs from its right, lower or lower-right neighbour; the last
        // column compares only downwards, the last row only to the right.
        var expected = Mask(
            "1110",
            "1010",
            "1110",
            "0000");
        Assert.Equal(expected, BoundaryMap.FromMask(mask, 4, 4));
    }

    [Fact]
    public void Last_row_and_column_compare_only_with_existing_neighbours()
    {
        var mask = Mask(
            "000",
            "000",
            "001");
        var expected = Mask(
            "000",
            "011", // (1,1) lower-right; (1,2) last column, lower neighbour
            "010"); // (2,1) last row, right neighbour; (2,2) has no neighbour
        Assert.Equal(expected, BoundaryMap.FromMask(mask, 3, 3));
    }

    [Fact]
    public void Image_border_is_not_a_boundary()
    {
        Assert.All(BoundaryMap.FromMask(Enumerable.Repeat(true, 12).ToArray(), 3, 4), b => Assert.False(b));
        Assert.All(BoundaryMap.FromMask(new bool[12], 3, 4), b => Assert.False(b));
    }

    [Fact]
    public void A_mask_and_its_complement_have_the_same_boundary()
    {
        var random = new Random(3);
        var mask = Enumerable.Range(0, 7 * 9).Select(_ => random.Next(2) == 1).ToArray();
        Assert.Equal(BoundaryMap.FromMask(mask, 7, 9), BoundaryMap.FromMask(mask.Select(v => !v).ToArray(), 7, 9));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 8)]
    [InlineData(8, 1)]
    [InlineData(9, 11)]
    public void Per_class_boundaries_of_a_label_map_equal_the_boundaries_of_each_binary_mask(int h, int w)
    {
        const int classes = 4;
        var random = new Random(h * 100 + w);
        var labels = Enumerable.Range(0, h * w).Select(_ => random.Next(6) == 0 ? 255 : random.Next(classes)).ToArray();
        var lists = Enumerable.Range(0, classes).Select(_ => new List<int>()).ToArray();

        BoundaryMap.CollectClassBoundaries<int>(labels, h, w, lists);

        for (var c = 0; c < classes; c++)
        {
            var boundary = BoundaryMap.FromMask(labels.Select(v => v == c).ToArray(), h, w);
            var expected = Enumerable.Range(0, h * w).Where(i => boundary[i]).ToList();
            Assert.Equal(expected, lists[c]);
        }
    }

    [Fact]
    public void Bad_sizes_throw_naming_the_argument()
    {
        Assert.Equal("mask", Assert.Throws<ArgumentException>(() => BoundaryMap.FromMask(new bool[5], 2, 3)).ParamName);
        Assert.Equal("boundary", Assert.Throws<ArgumentException>(() => BoundaryMap.FromMask(new bool[6], 2, 3, new bool[5])).ParamName);
        Assert.Equal("height", Assert.Throws<ArgumentOutOfRangeException>(() => BoundaryMap.FromMask(new bool[0], 0, 3)).ParamName);
    }
}
