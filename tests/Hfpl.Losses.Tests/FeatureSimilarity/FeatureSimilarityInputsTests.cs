using Hfpl.Losses;
using Hfpl.Tests;

namespace Hfpl.Losses.Tests.FeatureSimilarity;

public class FeatureSimilarityInputsTests
{
    [Fact]
    public void Features_are_the_denormalised_image_resized_with_aligned_corners_and_clamped()
    {
        using var raw = torch.rand([2, 3, 16, 20], ScalarType.Float64, generator: new Generator(1));
        raw[0, 0, 0, 0] = torch.tensor(1.5); // out of range corner: clamped after resizing (corners map exactly)
        using var mean = torch.tensor(losses.ImageNetMean, ScalarType.Float64).view(1, 3, 1, 1);
        using var std = torch.tensor(losses.ImageNetStd, ScalarType.Float64).view(1, 3, 1, 1);
        using var normalised = (raw - mean) / std;
        using var logits = torch.randn([2, 4, 4, 5], ScalarType.Float64);
        using var labels = torch.tensor(new double[,] { { 1, 0, 1, 0 }, { 0, 1, 1, 1 } });
        var (features, predictions) = losses.feature_similarity_inputs(normalised, logits, labels);
        using var expected = nn.functional.interpolate(raw, [4, 5], mode: InterpolationMode.Bilinear, align_corners: true).clamp(0, 1);
        TensorAssert.Close(expected, features, 1e-12, 1e-12, "features");
        Assert.Equal(1.0, features[0, 0, 0, 0].item<double>());
        using var expectedPredictions = hfpl.binomial_predictions(logits, labels);
        TensorAssert.Close(expectedPredictions, predictions, 0, 0, "predictions");
        Assert.Equal(new long[] { 2, 5, 4, 5 }, predictions.shape);
        features.Dispose(); predictions.Dispose();
    }

    [Fact]
    public void Area_features_are_the_mean_colour_of_each_cell()
    {
        // 8x12 pixels to a 2x3 grid: each cell is the mean of a 4x4 block; the default stays bilinear.
        using var images = torch.rand([1, 3, 8, 12], ScalarType.Float64, generator: new Generator(2));
        using var area = losses.feature_similarity_features(images, 2, 3, FeatureResize.Area);
        var expected = images[0, 1, 4..8, 8..12].mean().item<double>();
        TensorAssert.Close(expected, area[0, 1, 1, 2].item<double>(), 1e-12);
        using var bilinear = losses.feature_similarity_features(images, 2, 3);
        TensorAssert.Close(images[0, 2, 7, 11].item<double>(), bilinear[0, 2, 1, 2].item<double>(), 1e-12); // aligned corner
        Assert.True(area.sub(bilinear).abs().max().item<double>() > 1e-3);
    }

    [Fact]
    public void Multinomial_predictions_are_the_softmax_over_all_channels()
    {
        using var images = torch.rand([1, 3, 8, 8]);
        using var logits = torch.randn([1, 3, 4, 4]);
        using var labels = torch.tensor(new float[,] { { 1, 0 } });
        var (features, predictions) = losses.feature_similarity_inputs(images, logits, labels, Posterior.Multinomial, hasBackground: true);
        using var expected = torch.softmax(logits, 1);
        TensorAssert.Close(expected, predictions, 0, 0);
        features.Dispose(); predictions.Dispose();
    }

    [Fact]
    public void Binomial_inputs_with_a_background_channel_replace_it_by_one_minus_max_foreground()
    {
        using var images = torch.rand([1, 3, 8, 8]);
        using var logits = torch.randn([1, 3, 4, 4]);
        using var labels = torch.tensor(new float[,] { { 1, 1 } });
        var (features, predictions) = losses.feature_similarity_inputs(images, logits, labels, hasBackground: true);
        using var expected = hfpl.binomial_predictions(logits[.., 1..], labels);
        TensorAssert.Close(expected, predictions, 0, 0);
        features.Dispose(); predictions.Dispose();
    }

    [Fact]
    public void Mismatched_mean_or_batch_is_rejected_by_name()
    {
        using var images = torch.rand([2, 3, 8, 8]);
        using var logits = torch.randn([2, 2, 4, 4]);
        using var labels = torch.ones(2, 2);
        Assert.Contains("mean", Assert.ThrowsAny<ArgumentException>(() => losses.feature_similarity_inputs(images, logits, labels, mean: [0.5])).Message);
        Assert.Contains("logits", Assert.ThrowsAny<ArgumentException>(() => losses.feature_similarity_inputs(images, logits[..1], labels)).Message);
        Assert.Contains("labels", Assert.ThrowsAny<ArgumentException>(() => losses.feature_similarity_inputs(images, logits, torch.ones(2, 3))).Message);
    }
}
