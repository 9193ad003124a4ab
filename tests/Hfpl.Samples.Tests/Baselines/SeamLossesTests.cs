using Hfpl.Samples.Baselines;
using Hfpl.Tests;

namespace Hfpl.Samples.Tests.Baselines;

public class SeamLossesTests
{
    static Tensor Map(double[] values, params long[] shape) => torch.tensor(values, ScalarType.Float64).view(shape);

    [Fact]
    public void Normalised_cam_divides_by_the_channel_max_keeps_only_the_top_foreground_and_sets_background()
    {
        // Channels: background, class 1, class 2 over two cells.
        using var logits = Map([5, -1, 2, 4, 1, 3], 1, 3, 1, 2);
        using var n = SeamLosses.NormalisedCam(logits);
        // class 1: relu [2, 4] / (4 + 1e-5); class 2: [1, 3] / (3 + 1e-5) -> cell 0: 0.5 vs 0.333 (class 1 wins), cell 1: 1 vs 1 (tie: both kept)
        double c1a = (2 - 1e-5) / (4 + 1e-5), c1b = (4 - 1e-5) / (4 + 1e-5), c2b = (3 - 1e-5) / (3 + 1e-5);
        var expected = Map([1 - c1a, 1 - Math.Max(c1b, c2b), c1a, c1b >= c2b ? c1b : 0, 0, c2b >= c1b ? c2b : 0], 1, 3, 1, 2);
        TensorAssert.Close(expected, n, 1e-12, 1e-12);
    }

    [Fact]
    public void Max_one_hot_zeroes_foreground_channels_below_the_maximum_and_keeps_background()
    {
        using var x = Map([0.9, 0.1, 0.2, 0.7, 0.5, 0.3], 1, 3, 1, 2);
        using var result = SeamLosses.MaxOneHot(x);
        TensorAssert.Close(Map([0.9, 0.1, 0, 0.7, 0.5, 0], 1, 3, 1, 2), result, 0, 0);
    }

    [Fact]
    public void With_background_sets_channel_zero_to_one_minus_the_largest_foreground()
    {
        using var x = Map([0.0, 0.0, 0.2, 0.7, 0.5, 0.3], 1, 3, 1, 2);
        using var result = SeamLosses.WithBackground(x);
        TensorAssert.Close(Map([0.5, 0.3, 0.2, 0.7, 0.5, 0.3], 1, 3, 1, 2), result, 1e-12, 0);
    }

    [Fact]
    public void Min_pooling_loss_averages_the_relu_of_the_lowest_quarter_of_cell_maxima()
    {
        // 2 images, 2 classes, 2x4 grid: k = 8 / 4 = 2 lowest cell maxima per image.
        using var x = Map([
            0.9, 0.1, 0.4, 0.8, 0.3, 0.6, 0.7, 0.2,   0.5, 0.0, 0.2, 0.1, 0.6, 0.2, 0.9, 0.1,   // image 0, classes 1 and 2
            -0.5, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, -0.2,  -0.4, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, -0.3, // image 1
        ], 2, 2, 2, 4);
        using var loss = SeamLosses.MinPoolingLoss(x);
        // image 0 cell maxima: 0.9 0.1 0.4 0.8 0.6 0.6 0.9 0.2 -> lowest two 0.1, 0.2; image 1: -0.4 0.3 ... -0.2 -> relu 0, 0
        TensorAssert.Close((0.1 + 0.2 + 0 + 0) / (2 * 2), loss.item<double>(), 1e-12);
    }

    [Fact]
    public void Top_k_mean_averages_the_largest_fifth_of_each_image()
    {
        using var x = Map([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20], 2, 1, 2, 5);
        using var mean = SeamLosses.TopKMean(x); // k = 2 per image: {10, 9} and {20, 0}
        TensorAssert.Close((10 + 9 + 20 + 0) / 4.0, mean.item<double>(), 1e-12);
    }

    [Fact]
    public void Pcm_columns_sum_to_one_and_refinement_is_the_matrix_product()
    {
        using var raw = torch.rand([2, 6, 6], ScalarType.Float64, generator: new Generator(1));
        using var affinity = PixelCorrelationModule.NormaliseColumns(raw);
        TensorAssert.Close(torch.ones(2, 1, 6, ScalarType.Float64), affinity.sum(1, keepdim: true), 1e-4, 0);
        using var cams = torch.rand([2, 3, 2, 3], ScalarType.Float64, generator: new Generator(2));
        using var refined = PixelCorrelationModule.Refine(cams, affinity);
        TensorAssert.Close(cams.flatten(2).bmm(affinity).view(2, 3, 2, 3), refined, 1e-12, 0);
    }

    [Fact]
    public void Pcm_affinity_is_non_negative_column_normalised_and_one_matrix_per_image()
    {
        using var pcm = new PixelCorrelationModule(8, 16);
        using var image = torch.rand([2, 3, 32, 32]);
        using var m1 = torch.randn([2, 8, 8, 8]);
        using var m2 = torch.randn([2, 16, 4, 4]);
        using var grid = torch.zeros(2, 1, 4, 4);
        using var affinity = pcm.call(image, m1, m2, grid);
        Assert.Equal(new long[] { 2, 16, 16 }, affinity.shape);
        Assert.True(affinity.min().item<float>() >= 0);
        TensorAssert.Close(torch.ones(2, 1, 16), affinity.sum(1, keepdim: true), 1e-3, 0);
    }
}
