using Hfpl.Losses;
using Hfpl.Losses.FeatureSimilarity;
using Hfpl.Tests;

namespace Hfpl.Losses.Tests.FeatureSimilarity;

public class FeatureSimilarityLossTests
{
    static (Tensor Features, Tensor Predictions) RandomInputs(long b, long cy, long h, long w, int seed, ScalarType dtype = ScalarType.Float64)
    {
        using var generator = new Generator((ulong)seed);
        var features = torch.rand([b, 3, h, w], dtype, generator: generator);
        var predictions = torch.rand([b, cy, h, w], dtype, generator: generator);
        return (features, predictions);
    }

    /// <summary>Blocky colour images: runs of identical colours (d_x exactly 0) separated by strong edges.</summary>
    static Tensor BlockyFeatures(long b, long h, long w, int seed)
    {
        using var generator = new Generator((ulong)seed);
        var small = torch.rand([b, 3, (h + 3) / 4, (w + 3) / 4], ScalarType.Float64, generator: generator);
        return small.repeat_interleave(4, 2).repeat_interleave(4, 3)[.., .., ..(int)h, ..(int)w].contiguous();
    }

    /// <summary>Asserts that a kernel equals the literal formula in value (1e-10) and autograd gradient (1e-8) at <paramref name="u"/>.</summary>
    static void AssertMatchesLiteral(Func<Tensor, Tensor> ours, Func<Tensor, Tensor> literal, Tensor u)
    {
        using var value = ours(u);
        using var reference = literal(u);
        TensorAssert.Close(reference.item<double>(), value.item<double>(), 1e-10, what: "loss");
        using var gradient = FiniteDifferences.Autograd(ours, u);
        using var referenceGradient = FiniteDifferences.Autograd(literal, u);
        TensorAssert.Close(referenceGradient, gradient, 1e-8, 1e-12, "gradient");
    }

    // --- smoke and closed form -------------------------------------------------------------------

    [Fact]
    public void Two_cells_across_a_full_edge_match_the_hand_computed_value()
    {
        // One image, grid 1x2, one feature channel with values 0 and 1 (d_x = 1), one prediction channel 0 and 1 (d_y = 0.5).
        // Flat kernel k = 1/2; two ordered pairs; L = -(1/2) * 2 * (1/2 * 0.5 * w) = -w / 4, w = tanh(2.5 + log((1 + 1e-5) / 1e-5)).
        using var features = torch.tensor(new double[] { 0, 1 }).view(1, 1, 1, 2);
        using var predictions = torch.tensor(new double[] { 0, 1 }).view(1, 1, 1, 2);
        var w = Math.Tanh(2.5 + Math.Log((1 + 1e-5) / 1e-5));
        using var loss = losses.feature_similarity_loss(features, predictions, sigma: null);
        TensorAssert.Close(-w / 4, loss.item<double>(), 1e-12);
    }

    [Fact]
    public void Identical_colours_that_predict_differently_are_penalised_and_edges_rewarded()
    {
        using var predictions = torch.tensor(new double[] { 0, 1 }).view(1, 1, 1, 2);
        using var same = torch.tensor(new double[] { 0.3, 0.3 }).view(1, 1, 1, 2);
        using var edge = torch.tensor(new double[] { 0.0, 1.0 }).view(1, 1, 1, 2);
        using var penalised = losses.feature_similarity_loss(same, predictions, sigma: null);
        using var rewarded = losses.feature_similarity_loss(edge, predictions, sigma: null);
        var w = Math.Tanh(2.5 + Math.Log(1e-5 / (1 + 1e-5)));                 // -1 up to 3e-8
        TensorAssert.Close(-w / 4, penalised.item<double>(), 1e-12);
        Assert.True(rewarded.item<double>() < 0);
    }

    // --- values and gradients against the literal formula ----------------------------------------

    public static TheoryData<Posterior, double?, double, double> Variants()
    {
        var data = new TheoryData<Posterior, double?, double, double>();
        foreach (var posterior in new[] { Posterior.Binomial, Posterior.Multinomial })
        foreach (var sigma in new double?[] { 5, 1.5, null })
        foreach (var px in new double[] { 1, 2 })
        foreach (var py in new double[] { 2, 1, 3 })
            data.Add(posterior, sigma, px, py);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Exact_path_equals_the_literal_formula_in_value_and_gradient(Posterior posterior, double? sigma, double px, double py)
    {
        var (features, predictions) = RandomInputs(2, 4, 5, 6, seed: 7);
        using var f = features; using var u = predictions;
        var parameters = new FeatureSimilarityParameters(posterior, 2.5, sigma, px, py);
        Tensor Exact(Tensor x) => losses.feature_similarity_loss(f, x, posterior, 2.5, sigma, px, py);
        Tensor Literal(Tensor x) => LiteralFeatureSimilarity.Loss(f, x, parameters);

        AssertMatchesLiteral(Exact, Literal, u);
    }

    [Theory]
    [InlineData(Posterior.Binomial, 5.0)]
    [InlineData(Posterior.Multinomial, null)]
    public void The_tensor_path_used_off_the_fused_kernel_equals_the_literal_formula(Posterior posterior, double? sigma)
    {
        // px = 1.5 is outside the fused CPU pass (px 1 or 2), so this runs the cdist path that GPUs take.
        var (features, predictions) = RandomInputs(2, 4, 5, 6, seed: 17);
        using var f = features; using var u = predictions;
        using var mask = torch.ones(2, 1, 5, 6, ScalarType.Float64);
        mask[.., .., .., 5..] = torch.tensor(0.0);
        var parameters = new FeatureSimilarityParameters(posterior, 2.5, sigma, 1.5, 2);
        AssertMatchesLiteral(x => losses.feature_similarity_loss(f, x, posterior, 2.5, sigma, 1.5, 2, mask: mask),
            x => LiteralFeatureSimilarity.Loss(f, x, parameters, mask: mask), u);
    }

    [Theory]
    [InlineData(1, Posterior.Binomial, 2.0)]
    [InlineData(2, Posterior.Binomial, 2.0)]
    [InlineData(3, Posterior.Multinomial, 2.0)]
    [InlineData(2, Posterior.Binomial, 3.0)]
    [InlineData(2, Posterior.Multinomial, 1.0)]
    public void Windowed_path_equals_the_literal_formula_restricted_to_the_window(int radius, Posterior posterior, double py)
    {
        var (features, predictions) = RandomInputs(2, 3, 6, 7, seed: 11);
        using var f = features; using var u = predictions;
        var parameters = new FeatureSimilarityParameters(posterior, 2.5, 1.5, 1, py);
        Tensor Windowed(Tensor x) => losses.feature_similarity_loss(f, x, posterior, 2.5, 1.5, 1, py, windowRadius: radius);
        Tensor Literal(Tensor x) => LiteralFeatureSimilarity.Loss(f, x, parameters, radius);

        AssertMatchesLiteral(Windowed, Literal, u);
    }

    [Theory]
    [InlineData(Posterior.Binomial)]
    [InlineData(Posterior.Multinomial)]
    public void Windowed_tensor_path_equals_the_literal_formula(Posterior posterior)
    {
        // px = 1.5 takes the tensor path (the one GPUs take) instead of the fused CPU kernel.
        var (features, predictions) = RandomInputs(2, 3, 6, 7, seed: 12);
        using var f = features; using var u = predictions;
        var parameters = new FeatureSimilarityParameters(posterior, 2.5, 1.5, 1.5, 2);
        Assert.False(FusedWindowedKernel.Supports(f, parameters));
        AssertMatchesLiteral(x => losses.feature_similarity_loss(f, x, posterior, 2.5, 1.5, 1.5, 2, windowRadius: 2),
            x => LiteralFeatureSimilarity.Loss(f, x, parameters, 2), u);
    }

    [Theory]
    [InlineData(1, 1.0, Posterior.Binomial, false)]
    [InlineData(3, 2.0, Posterior.Multinomial, true)]
    [InlineData(1, 1.0, Posterior.Binomial, true)]
    public void Fused_windowed_kernel_equals_the_tensor_windowed_kernel_in_float32(int batch, double px, Posterior posterior, bool masked)
    {
        // A grid width that is not a multiple of the SIMD width, a batch of 1 (channels split across work items) and of 3.
        var (features, predictions) = RandomInputs(batch, 5, 13, 37, seed: 31, ScalarType.Float32);
        using var f = features; using var u = predictions;
        using var mask = masked ? torch.rand([batch, 1, 13, 37], generator: new Generator(2)) : null;
        var parameters = new FeatureSimilarityParameters(posterior, 2.5, 2.0, px, 2);
        Assert.True(FusedWindowedKernel.Supports(f, parameters));
        var (fusedValue, fusedGradient) = FusedWindowedKernel.Compute(f, u, 6, parameters, mask);
        var (tensorValue, tensorGradient) = WindowedPairwiseKernel.Compute(f, u, 6, parameters, mask);
        using (fusedValue) using (fusedGradient) using (tensorValue) using (tensorGradient)
        {
            Assert.Equal(ScalarType.Float32, fusedGradient.dtype);
            TensorAssert.Close(tensorValue.item<float>(), fusedValue.item<float>(), 1e-5, what: "value");
            TensorAssert.Close(tensorGradient, fusedGradient, 1e-4, 1e-6, "gradient");
        }
    }

    [Theory]
    [InlineData(null, Posterior.Binomial, 2.0)]
    [InlineData(null, Posterior.Multinomial, 3.0)]
    [InlineData(2, Posterior.Binomial, 2.0)]
    [InlineData(2, Posterior.Multinomial, 1.0)]
    public void A_cell_mask_weights_pairs_as_the_literal_formula_does_and_masked_cells_get_no_gradient(int? radius, Posterior posterior, double py)
    {
        var (features, predictions) = RandomInputs(2, 3, 6, 7, seed: 13);
        using var f = features; using var u = predictions;
        using var mask = torch.ones(2, 1, 6, 7, ScalarType.Float64);
        mask[.., .., .., 5..] = torch.tensor(0.0);          // padded columns
        mask[1, 0, 0, 0] = torch.tensor(0.3);
        var parameters = new FeatureSimilarityParameters(posterior, 2.5, 1.5, 1, py);
        Tensor Ours(Tensor x) => losses.feature_similarity_loss(f, x, posterior, 2.5, 1.5, 1, py, radius, mask);
        Tensor Literal(Tensor x) => LiteralFeatureSimilarity.Loss(f, x, parameters, radius, mask);
        AssertMatchesLiteral(Ours, Literal, u);
        using var gradOurs = FiniteDifferences.Autograd(Ours, u);
        Assert.Equal(0.0, gradOurs[.., .., .., 5..].abs().max().item<double>());
        using var ones = torch.ones_like(mask);
        using var withOnes = losses.feature_similarity_loss(f, u, posterior, 2.5, 1.5, 1, py, radius, ones);
        using var plain = losses.feature_similarity_loss(f, u, posterior, 2.5, 1.5, 1, py, radius);
        TensorAssert.Close(plain.item<double>(), withOnes.item<double>(), 1e-12);
    }

    [Fact]
    public void Windowed_path_with_a_radius_covering_the_grid_equals_the_exact_path()
    {
        var (features, predictions) = RandomInputs(2, 3, 5, 6, seed: 3);
        using var f = features; using var u = predictions;
        using var exact = losses.feature_similarity_loss(f, u, sigma: null);
        using var windowed = losses.feature_similarity_loss(f, u, sigma: null, windowRadius: 8);
        TensorAssert.Close(exact.item<double>(), windowed.item<double>(), 1e-10);
    }

    [Fact]
    public void Windowed_path_at_three_sigma_is_within_one_percent_of_the_exact_loss()
    {
        // The paper's sigma = 5 with r = 15 on a 48x48 grid; CAM-like logits: smooth blobs (coarse noise upsampled).
        using var f = BlockyFeatures(2, 48, 48, seed: 5);
        using var coarse = torch.randn([2, 4, 6, 6], ScalarType.Float64, generator: new Generator(9)).mul_(3);
        using var logits = nn.functional.interpolate(coarse, [48, 48], mode: InterpolationMode.Bilinear, align_corners: true);
        using var labels = torch.tensor(new double[,] { { 1, 0, 1, 1 }, { 0, 1, 1, 0 } });
        using var u = hfpl.binomial_predictions(logits, labels);
        using var exact = losses.feature_similarity_loss(f, u, sigma: 5);
        using var windowed = losses.feature_similarity_loss(f, u, sigma: 5, windowRadius: 15);
        var relative = Math.Abs(windowed.item<double>() - exact.item<double>()) / Math.Abs(exact.item<double>());
        Assert.True(relative < 0.01, $"relative difference {relative:P3}");
        Assert.True(relative > 0, "the window must drop some pairs in this case");
    }

    [Theory]
    [InlineData(Posterior.Binomial, 2.0, null)]
    [InlineData(Posterior.Binomial, 3.0, null)]
    [InlineData(Posterior.Multinomial, 2.0, null)]
    [InlineData(Posterior.Multinomial, 3.0, null)]
    [InlineData(Posterior.Binomial, 2.0, 2)]
    [InlineData(Posterior.Multinomial, 3.0, 2)]
    public void Gradient_matches_finite_differences_in_float64(Posterior posterior, double py, int? radius)
    {
        var (features, predictions) = RandomInputs(2, 3, 4, 5, seed: 21);
        using var f = features; using var u = predictions;
        FiniteDifferences.AssertGradientMatches(
            x => losses.feature_similarity_loss(f, x, posterior, py: py, sigma: 1.5, windowRadius: radius), u, 1e-6);
    }

    [Fact]
    public void Gradient_reaches_the_logits_through_the_binomial_predictions()
    {
        using var f = BlockyFeatures(1, 6, 6, seed: 2);
        using var logits0 = torch.randn([1, 2, 6, 6], ScalarType.Float64, generator: new Generator(4));
        using var labels = torch.tensor(new double[,] { { 1, 1 } });
        FiniteDifferences.AssertGradientMatches(
            z => losses.feature_similarity_loss(f, hfpl.binomial_predictions(z, labels), sigma: 2), logits0, 1e-5);
    }

    // --- module, dtypes, extremes ------------------------------------------------------------------

    [Fact]
    public void Module_equals_the_functional_times_its_weight()
    {
        var (features, predictions) = RandomInputs(2, 3, 5, 5, seed: 1);
        using var f = features; using var u = predictions;
        using var module = losses.FeatureSimilarityLoss(sigma: 2, weight: 0.2, windowRadius: 3);
        using var fromModule = module.call(f, u);
        using var fromFunction = losses.feature_similarity_loss(f, u, sigma: 2, windowRadius: 3);
        TensorAssert.Close(0.2 * fromFunction.item<double>(), fromModule.item<double>(), 1e-12);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(3)]
    public void Float32_agrees_with_float64_and_keeps_its_dtype(int? radius)
    {
        var (features, predictions) = RandomInputs(2, 5, 8, 8, seed: 8);
        using var f = features; using var u = predictions;
        using var u32 = u.to(ScalarType.Float32).requires_grad_(true);
        using var loss32 = losses.feature_similarity_loss(f.to(ScalarType.Float32), u32, windowRadius: radius);
        using var loss64 = losses.feature_similarity_loss(f, u, windowRadius: radius);
        Assert.Equal(ScalarType.Float32, loss32.dtype);
        TensorAssert.Close(loss64.item<double>(), loss32.item<float>(), 1e-4);
        loss32.backward();
        Assert.Equal(ScalarType.Float32, u32.grad!.dtype);
    }

    [Fact]
    public void Extreme_logits_and_a_class_absent_everywhere_give_finite_loss_and_gradient()
    {
        using var f = BlockyFeatures(2, 8, 8, seed: 6);
        using var z = torch.where(torch.rand([2, 3, 8, 8], generator: new Generator(1)) > 0.5, 100.0, -100.0).to(ScalarType.Float64).requires_grad_(true);
        using var labels = torch.tensor(new double[,] { { 1, 0, 1 }, { 0, 0, 1 } }); // class 1 absent everywhere
        foreach (var radius in new int?[] { null, 2 })
        {
            using var loss = losses.feature_similarity_loss(f, hfpl.binomial_predictions(z, labels), windowRadius: radius);
            TensorAssert.Finite(loss, "loss");
            loss.backward();
            TensorAssert.Finite(z.grad!, "gradient");
            z.grad!.zero_();
        }
    }

    [Fact]
    public void Constant_predictions_give_zero_loss_and_gradient()
    {
        using var f = BlockyFeatures(1, 6, 6, seed: 3);
        using var u = torch.full([1, 2, 6, 6], 0.4, ScalarType.Float64).requires_grad_(true);
        using var loss = losses.feature_similarity_loss(f, u);
        Assert.Equal(0.0, loss.item<double>(), 15);
        loss.backward();
        Assert.Equal(0.0, u.grad!.abs().max().item<double>(), 15);
    }

    [Fact]
    public void Features_carry_no_gradient()
    {
        var (features, predictions) = RandomInputs(1, 2, 4, 4, seed: 2);
        using var f = features.requires_grad_(true); using var u = predictions.requires_grad_(true);
        using var loss = losses.feature_similarity_loss(f, u);
        loss.backward();
        Assert.Null(f.grad);
        Assert.NotNull(u.grad);
    }

    // --- bad input -----------------------------------------------------------------------------------

    public static TheoryData<string, Func<Tensor>> BadCalls() => new()
    {
        { "features", () => losses.feature_similarity_loss(torch.rand(3, 4, 4), torch.rand(1, 2, 4, 4)) },
        { "predictions", () => losses.feature_similarity_loss(torch.rand(1, 3, 4, 4), torch.rand(2, 4, 4)) },
        { "predictions", () => losses.feature_similarity_loss(torch.rand(1, 3, 4, 4), torch.rand(2, 2, 4, 4)) },
        { "predictions", () => losses.feature_similarity_loss(torch.rand(1, 3, 4, 4), torch.rand(1, 2, 4, 5)) },
        { "predictions", () => losses.feature_similarity_loss(torch.rand(1, 3, 4, 4), torch.full(1, 2, 4, 4, double.NaN)) },
        { "features", () => losses.feature_similarity_loss(torch.full(1, 3, 4, 4, double.PositiveInfinity), torch.rand(1, 2, 4, 4)) },
        { "features", () => losses.feature_similarity_loss(torch.rand(0, 3, 4, 4), torch.rand(0, 2, 4, 4)) },
        { "predictions", () => losses.feature_similarity_loss(torch.rand(1, 3, 4, 4), torch.ones(1, 2, 4, 4, ScalarType.Int32)) },
        { "sigma", () => losses.feature_similarity_loss(torch.rand(1, 3, 4, 4), torch.rand(1, 2, 4, 4), sigma: 0) },
        { "px", () => losses.feature_similarity_loss(torch.rand(1, 3, 4, 4), torch.rand(1, 2, 4, 4), px: 0.5) },
        { "mu", () => losses.feature_similarity_loss(torch.rand(1, 3, 4, 4), torch.rand(1, 2, 4, 4), mu: double.NaN) },
        { "windowRadius", () => losses.feature_similarity_loss(torch.rand(1, 3, 4, 4), torch.rand(1, 2, 4, 4), windowRadius: 0) },
        { "mask", () => losses.feature_similarity_loss(torch.rand(1, 3, 4, 4), torch.rand(1, 2, 4, 4), mask: torch.ones(1, 2, 4, 4)) },
        { "mask", () => losses.feature_similarity_loss(torch.rand(1, 3, 4, 4), torch.rand(1, 2, 4, 4), mask: torch.ones(1, 1, 4, 5)) },
        { "mask", () => losses.feature_similarity_loss(torch.rand(1, 3, 4, 4), torch.rand(1, 2, 4, 4), mask: torch.full(1, 1, 4, 4, -1.0)) },
    };

    [Theory]
    [MemberData(nameof(BadCalls))]
    public void Bad_input_throws_an_argument_exception_naming_the_argument(string argument, Func<Tensor> call) =>
        TensorAssert.ThrowsNaming(argument, call);

    [Fact]
    public void A_bad_hyper_parameter_is_the_exceptions_parameter_name()
    {
        using var f = torch.rand(1, 3, 4, 4);
        using var u = torch.rand(1, 2, 4, 4);
        Assert.Equal("sigma", Assert.Throws<ArgumentException>(() => losses.feature_similarity_loss(f, u, sigma: 0)).ParamName);
        Assert.Equal("px", Assert.Throws<ArgumentException>(() => losses.feature_similarity_loss(f, u, px: 0.5)).ParamName);
        Assert.Equal("mu", Assert.Throws<ArgumentException>(() => losses.feature_similarity_loss(f, u, mu: 99, py: 0)).ParamName);
    }

    [Fact]
    public void The_loss_clamps_its_features_to_the_unit_interval_itself_in_value_and_gradient()
    {
        // Colours slightly outside [0, 1], as bilinear overshoot or jitter leave them: the reference loss clamps them first.
        using var raw = torch.rand([2, 3, 5, 6], ScalarType.Float64, generator: new Generator(21)) * 1.4 - 0.2;
        using var clamped = raw.clamp(0, 1);
        using var u0 = torch.rand([2, 3, 5, 6], ScalarType.Float64, generator: new Generator(22));
        foreach (var radius in new int?[] { null, 2 })
        {
            using var a = u0.clone().requires_grad_(true);
            using var b = u0.clone().requires_grad_(true);
            using var lossRaw = losses.feature_similarity_loss(raw, a, windowRadius: radius);
            using var lossClamped = losses.feature_similarity_loss(clamped, b, windowRadius: radius);
            lossRaw.backward();
            lossClamped.backward();
            TensorAssert.Close(lossClamped.item<double>(), lossRaw.item<double>(), 1e-12);
            TensorAssert.Close(b.grad!, a.grad!, 1e-10, 1e-14, "gradient");
        }
        // The data discriminates: d_x from the unclamped colours gives another loss.
        using var fr = raw.reshape(2, 3, 30).transpose(1, 2);
        using var fc = clamped.reshape(2, 3, 30).transpose(1, 2);
        using var dxRaw = (torch.cdist(fr, fr, 1) / 3).clamp(0, 1);
        using var dxClamped = torch.cdist(fc, fc, 1) / 3;
        Assert.True((dxRaw - dxClamped).abs().max().item<double>() > 0.05);
    }

    [Theory]
    [InlineData(255.0, 0.0)]
    [InlineData(2.6, -2.1)]
    public void Colours_far_outside_the_unit_interval_are_an_argument_exception_that_says_so(double high, double low)
    {
        using var f = torch.rand(1, 3, 4, 4);
        f[0, 0, 0, 0] = torch.tensor((float)high);
        f[0, 1, 0, 0] = torch.tensor((float)low);
        var e = Assert.Throws<ArgumentException>(() => losses.feature_similarity_loss(f, torch.rand(1, 2, 4, 4)));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("0..255", e.Message);
    }

    [Fact]
    public void Module_rejects_every_bad_hyper_parameter_at_once()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => losses.FeatureSimilarityLoss(sigma: -1, px: 0, weight: -2));
        Assert.Contains("Sigma", error.Message);
        Assert.Contains("Px", error.Message);
        Assert.Contains("Weight", error.Message);
    }

    // --- hygiene -------------------------------------------------------------------------------------

    [Theory]
    [InlineData(null)]
    [InlineData(2)]
    public void A_thousand_forward_backward_calls_leave_no_tensor_alive(int? radius)
    {
        var (features, predictions) = RandomInputs(2, 3, 6, 6, seed: 4, ScalarType.Float32);
        using var f = features;
        using var u = predictions.requires_grad_(true);
        LeakCheck.AssertNoLeaks(1000, () =>
        {
            using var loss = losses.feature_similarity_loss(f, u, windowRadius: radius);
            loss.backward();
            using var grad = u.grad;
        });
    }
}
