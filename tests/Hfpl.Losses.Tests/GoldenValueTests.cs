using System.Text.Json;
using Hfpl.Losses;
using Hfpl.Tests;

namespace Hfpl.Losses.Tests;

/// <summary>
/// Values and gradients against tests/golden/generate_golden.py, a literal float64 transcription of docs/method.md run on
/// Debian's python3-torch. Relative tolerance 1e-5 on the scale of each tensor.
/// </summary>
public class GoldenValueTests
{
    const double Rtol = 1e-5;

    public static TheoryData<string> Cases(string file) => new(Golden.Cases(file).Select(c => c.GetProperty("name").GetString()!));
    public static TheoryData<string> FeatureSimilarityCases() => Cases("feature_similarity_loss.json");
    public static TheoryData<string> ImportanceSamplingCases() => Cases("importance_sampling_loss.json");
    public static TheoryData<string> InputCases() => new(Golden.Cases("cam_helpers.json")
        .Where(c => c.GetProperty("kind").GetString() == "fsl_inputs").Select(c => c.GetProperty("name").GetString()!));

    static JsonElement Case(string file, string name) => Golden.Cases(file).Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>Relative to the largest magnitude of the expected tensor, so near-zero entries do not dominate.</summary>
    static void AssertScaled(Tensor expected, Tensor actual, string what)
    {
        var scale = expected.abs().max().item<double>();
        TensorAssert.Close(expected, actual, 0, Rtol * scale, what);
    }

    [Theory]
    [MemberData(nameof(FeatureSimilarityCases))]
    public void Feature_similarity_loss_matches_the_golden_value_and_gradient(string name) =>
        AssertFeatureSimilarityCase("feature_similarity_loss.json", name);

    public static TheoryData<string> MaskedCases() => Cases("feature_similarity_loss_masked.json");

    [Theory]
    [MemberData(nameof(MaskedCases))]
    public void Masked_feature_similarity_loss_matches_the_golden_value_and_gradient(string name) =>
        AssertFeatureSimilarityCase("feature_similarity_loss_masked.json", name);

    /// <summary>One FSL case: its parameters, optional cell mask, loss and gradient with respect to the predictions.</summary>
    static void AssertFeatureSimilarityCase(string file, string name)
    {
        var c = Case(file, name);
        using var features = Golden.Tensor(c.GetProperty("features"));
        using var mask = c.TryGetProperty("mask", out var m) ? Golden.Tensor(m) : null;
        using var predictions = Golden.Tensor(c.GetProperty("predictions")).requires_grad_(true);
        var posterior = c.GetProperty("variant").GetString() == "binomial" ? Posterior.Binomial : Posterior.Multinomial;
        var radius = Golden.OptionalDouble(c, "radius");
        using var loss = losses.feature_similarity_loss(features, predictions, posterior, c.GetProperty("mu").GetDouble(),
            Golden.OptionalDouble(c, "sigma"), c.GetProperty("px").GetDouble(), c.GetProperty("py").GetDouble(),
            radius is null ? null : (int)radius.Value, mask);
        TensorAssert.Close(c.GetProperty("loss").GetDouble(), loss.item<double>(), Rtol, what: name);
        loss.backward();
        using var expected = Golden.Tensor(c.GetProperty("grad_predictions"));
        AssertScaled(expected, predictions.grad!, name + " gradient");
    }

    [Theory]
    [MemberData(nameof(ImportanceSamplingCases))]
    public void Importance_sampling_losses_match_the_golden_values_and_gradients(string name)
    {
        var c = Case("importance_sampling_loss.json", name);
        using var labels = Golden.Tensor(c.GetProperty("labels"));
        using (var samples = Golden.Tensor(c.GetProperty("samples")).requires_grad_(true))
        {
            using var loss = losses.importance_sampling_loss(samples, labels);
            TensorAssert.Close(c.GetProperty("loss_is").GetDouble(), loss.item<double>(), Rtol, what: name);
            loss.backward();
            using var expected = Golden.Tensor(c.GetProperty("grad_samples"));
            AssertScaled(expected, samples.grad!, name + " gradient");
        }
        foreach (var mixed in c.GetProperty("mixed").EnumerateArray())
        {
            using var samples = Golden.Tensor(c.GetProperty("samples")).requires_grad_(true);
            using var gap = Golden.Tensor(c.GetProperty("gap_logits")).requires_grad_(true);
            var lambda = mixed.GetProperty("lambda").GetDouble();
            using var loss = losses.mixed_classification_loss(gap, samples, labels, lambda);
            TensorAssert.Close(mixed.GetProperty("loss_mixed").GetDouble(), loss.item<double>(), Rtol, what: $"{name} lambda {lambda}");
            loss.backward();
            using var expectedGap = Golden.Tensor(mixed.GetProperty("grad_gap_logits"));
            using var expectedSamples = Golden.Tensor(mixed.GetProperty("grad_samples"));
            AssertScaled(expectedGap, gap.grad!, $"{name} lambda {lambda} GAP gradient");
            AssertScaled(expectedSamples, samples.grad!, $"{name} lambda {lambda} sample gradient");
        }
    }

    [Theory]
    [MemberData(nameof(InputCases))]
    public void Input_builder_and_end_to_end_loss_match_the_golden_values(string name)
    {
        var c = Case("cam_helpers.json", name);
        using var images = Golden.Tensor(c.GetProperty("images"));
        using var logits = Golden.Tensor(c.GetProperty("logits")).requires_grad_(true);
        using var labels = Golden.Tensor(c.GetProperty("labels"));
        var (features, predictions) = losses.feature_similarity_inputs(images, logits, labels);
        using (features) using (predictions)
        {
            using var expectedFeatures = Golden.Tensor(c.GetProperty("features"));
            using var expectedPredictions = Golden.Tensor(c.GetProperty("predictions"));
            AssertScaled(expectedFeatures, features, name + " features");
            AssertScaled(expectedPredictions, predictions, name + " predictions");
            using var loss = losses.feature_similarity_loss(features, predictions);
            TensorAssert.Close(c.GetProperty("fsl_default_loss").GetDouble(), loss.item<double>(), Rtol, what: name + " loss");
            loss.backward();
            using var expectedGradient = Golden.Tensor(c.GetProperty("fsl_default_grad_logits"));
            AssertScaled(expectedGradient, logits.grad!, name + " gradient into the logits");
        }
    }
}
