using Hfpl.Losses;
using Hfpl.Losses.FeatureSimilarity;
using Hfpl.Tests;

namespace Hfpl.Losses.Tests.FeatureSimilarity;

public class FinerGridTests
{
    /// <summary>
    /// Bilinear upsampling by an integer factor with align_corners = false, written out: output cell o reads the source at
    /// (o + 0.5) / f - 0.5, clamped to the grid, interpolating its two neighbours along each axis.
    /// </summary>
    static double[,,,] Upsample(double[,,,] z, int f)
    {
        int b = z.GetLength(0), c = z.GetLength(1), h = z.GetLength(2), w = z.GetLength(3);
        var result = new double[b, c, h * f, w * f];
        (int Low, int High, double T) Source(int o, int n)
        {
            var x = Math.Max((o + 0.5) / f - 0.5, 0);
            var low = Math.Min((int)Math.Floor(x), n - 1);
            var high = Math.Min(low + 1, n - 1);
            return (low, high, x - low);
        }
        for (var i = 0; i < b; i++)
        for (var k = 0; k < c; k++)
        for (var y = 0; y < h * f; y++)
        for (var x = 0; x < w * f; x++)
        {
            var (y0, y1, ty) = Source(y, h);
            var (x0, x1, tx) = Source(x, w);
            result[i, k, y, x] = (1 - ty) * ((1 - tx) * z[i, k, y0, x0] + tx * z[i, k, y0, x1]) + ty * ((1 - tx) * z[i, k, y1, x0] + tx * z[i, k, y1, x1]);
        }
        return result;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Upsampled_logits_are_bilinear_without_aligned_corners(int factor)
    {
        using var logits = torch.randn([2, 3, 4, 5], ScalarType.Float64, generator: new Generator(1));
        var values = logits.data<double>().ToArray();
        var z = new double[2, 3, 4, 5];
        Buffer.BlockCopy(values, 0, z, 0, values.Length * sizeof(double));
        var expected = Upsample(z, factor);
        using var upsampled = losses.upsample_cam_grid(logits, factor);
        Assert.Equal(new long[] { 2, 3, 4 * factor, 5 * factor }, upsampled.shape);
        var actual = upsampled.data<double>().ToArray();
        var flat = new double[expected.Length];
        Buffer.BlockCopy(expected, 0, flat, 0, flat.Length * sizeof(double));
        for (var i = 0; i < flat.Length; i++) TensorAssert.Close(flat[i], actual[i], 1e-12, 1e-12, $"element {i}");
    }

    [Fact]
    public void Factor_one_is_the_identity_and_bad_factors_name_the_argument()
    {
        using var logits = torch.randn([1, 2, 3, 3]);
        using var same = losses.upsample_cam_grid(logits, 1);
        Assert.True(TensorAssert.Identical(logits, same));
        TensorAssert.ThrowsNaming("factor", () => losses.upsample_cam_grid(logits, 0));
        TensorAssert.ThrowsNaming("factor", () => losses.upsample_cam_grid(logits, 17));
        TensorAssert.ThrowsNaming("logits", () => losses.upsample_cam_grid(torch.randn([2, 3, 3]), 2));
    }

    [Fact]
    public void The_loss_on_the_finer_grid_equals_the_literal_formula_on_the_upsampled_maps()
    {
        // Images normalised as a network sees them; the input builder de-normalises, area-averages at the 2x grid and
        // upsamples the logits before the binomial predictions.
        using var raw = torch.rand([2, 3, 24, 32], ScalarType.Float64, generator: new Generator(2));
        using var mean = torch.tensor(losses.ImageNetMean, ScalarType.Float64).view(1, 3, 1, 1);
        using var std = torch.tensor(losses.ImageNetStd, ScalarType.Float64).view(1, 3, 1, 1);
        using var normalised = (raw - mean) / std;
        using var logits = torch.randn([2, 4, 3, 4], ScalarType.Float64, generator: new Generator(3));
        using var labels = torch.tensor(new double[,] { { 1, 0, 1, 0 }, { 0, 1, 1, 1 } });

        var (features, predictions) = losses.feature_similarity_inputs(normalised, logits, labels, gridFactor: 2, resize: FeatureResize.Area);
        using (features) using (predictions)
        {
            Assert.Equal(new long[] { 2, 3, 6, 8 }, features.shape);
            Assert.Equal(new long[] { 2, 5, 6, 8 }, predictions.shape);
            using var expectedFeatures = nn.functional.adaptive_avg_pool2d(raw, [6, 8]).clamp(0, 1);
            TensorAssert.Close(expectedFeatures, features, 1e-10, 1e-12, "features");
            using var upsampled = nn.functional.interpolate(logits, [6, 8], mode: InterpolationMode.Bilinear, align_corners: false);
            using var expectedPredictions = hfpl.binomial_predictions(upsampled, labels);
            TensorAssert.Close(expectedPredictions, predictions, 1e-12, 1e-12, "predictions");

            var p = FeatureSimilarityParameters.Create(Posterior.Binomial, 2.5, 2.0, 1, 2);
            using var literal = LiteralFeatureSimilarity.Loss(expectedFeatures, expectedPredictions, p);
            using var loss = losses.feature_similarity_loss(features, predictions, sigma: 2.0);
            TensorAssert.Close(literal.item<double>(), loss.item<double>(), 1e-10);
        }
    }

    [Fact]
    public void The_gradient_reaches_the_original_logits_float64_finite_differences()
    {
        using var images = torch.rand([1, 3, 16, 16], ScalarType.Float64, generator: new Generator(4));
        using var logits = torch.randn([1, 3, 2, 2], ScalarType.Float64, generator: new Generator(5));
        using var labels = torch.tensor(new double[,] { { 1, 1, 0 } });
        Tensor Loss(Tensor z)
        {
            using var scope = torch.NewDisposeScope();
            var (f, u) = losses.feature_similarity_inputs(images, z, labels, mean: [0, 0, 0], std: [1, 1, 1], gridFactor: 2);
            return losses.feature_similarity_loss(f, u, sigma: 1.5).MoveToOuterDisposeScope();
        }
        FiniteDifferences.AssertGradientMatches(Loss, logits, tolerance: 1e-5);
    }

    [Fact]
    public void Sigma_in_pixels_becomes_cells_of_the_grid_the_loss_runs_on()
    {
        Assert.Equal(5, losses.sigma_in_cells(40, 8));
        Assert.Equal(2.5, losses.sigma_in_cells(40, 16));
        Assert.Equal(5, losses.sigma_in_cells(40, 16, factor: 2));
        TensorAssert.ThrowsNaming("sigmaPixels", () => losses.sigma_in_cells(0, 8));
        TensorAssert.ThrowsNaming("sigmaPixels", () => losses.sigma_in_cells(double.NaN, 8));
        TensorAssert.ThrowsNaming("outputStride", () => losses.sigma_in_cells(40, -1));
        TensorAssert.ThrowsNaming("factor", () => losses.sigma_in_cells(40, 8, 0));
    }

    [Fact]
    public void The_finer_grid_path_leaks_nothing()
    {
        using var images = torch.rand([2, 3, 32, 32]);
        using var logits = torch.randn([2, 3, 4, 4]).requires_grad_(true);
        using var labels = torch.tensor(new float[,] { { 1, 0, 1 }, { 0, 1, 1 } });
        LeakCheck.AssertNoLeaks(20, () =>
        {
            var (f, u) = losses.feature_similarity_inputs(images, logits, labels, gridFactor: 2);
            using (f) using (u) using (var loss = losses.feature_similarity_loss(f, u)) loss.backward();
        });
    }
}
