using Hfpl.Tests;

namespace Hfpl.Core.Tests.Sampling;

public class ImportanceSamplingTests
{
    [Fact]
    public void Pmf_matches_the_golden_values()
    {
        foreach (var c in Golden.Cases("importance_sampling_pmf.json"))
        {
            using var logits = Golden.Tensor(c.GetProperty("logits"));
            var multinomial = c.GetProperty("variant").GetString() == "multinomial";
            using var pmf = hfpl.importance_sampling_pmf(logits, multinomial ? Posterior.Multinomial : Posterior.Binomial,
                hasBackground: multinomial, epsilon: c.GetProperty("eps").GetDouble());
            using var expected = Golden.Tensor(c.GetProperty("pmf"));
            TensorAssert.Close(expected.flatten(2), pmf, 1e-5, 1e-15, c.GetProperty("name").GetString());
        }
    }

    [Theory]
    [InlineData(Posterior.Binomial)]
    [InlineData(Posterior.Multinomial)]
    public void Index_frequencies_match_the_pmf_by_a_chi_square_test(Posterior posterior)
    {
        // One row of 20 cells with a skewed pmf; 100,000 draws at a fixed seed. 19 degrees of freedom:
        // the 0.1 % critical value is 43.82. A uniform or off-by-one sampler scores in the thousands.
        using var logits = torch.randn([1, 2, 4, 5], ScalarType.Float64, generator: new Generator(3)).mul_(2);
        const long draws = 100_000;
        using var generator = new Generator(12345);
        using var indices = hfpl.importance_sampling_indices(logits, draws, posterior, hasBackground: posterior == Posterior.Multinomial, generator: generator);
        using var pmf = hfpl.importance_sampling_pmf(logits, posterior, hasBackground: posterior == Posterior.Multinomial);
        using var observed = torch.bincount(indices[0, 0], minlength: 20).to(ScalarType.Float64);
        using var expected = pmf[0, 0] * draws;
        var chiSquare = ((observed - expected).square() / expected).sum().item<double>();
        Assert.True(chiSquare < 43.82, $"chi-square {chiSquare:F1} with 19 degrees of freedom");
    }

    [Theory]
    [InlineData(true, ScalarType.Float32)]
    [InlineData(true, ScalarType.Float64)]
    [InlineData(false, ScalarType.Float32)]
    public void Blocked_and_tensor_samplers_match_the_pmf_on_a_grid_of_several_blocks(bool fused, ScalarType dtype)
    {
        // 13 x 23 = 299 cells: many 16-cell blocks of the blocked sampler and a short last block; 200,000 draws.
        // 298 degrees of freedom: the 0.1 % critical value is 379.2 (Wilson-Hilferty).
        using var logits = torch.randn([1, 1, 13, 23], dtype, generator: new Generator(8)).mul_(2);
        const long draws = 200_000;
        using var generator = new Generator(99);
        using var pmf = hfpl.importance_sampling_pmf(logits);
        using var indices = fused
            ? Hfpl.Sampling.BlockedInverseCdfSampler.Sample(pmf.flatten(0, 1), draws, generator)
            : Hfpl.Sampling.InverseCdfSampler.Sample(pmf.flatten(0, 1), draws, generator);
        using var observed = torch.bincount(indices.flatten(), minlength: 299).to(ScalarType.Float64);
        using var expected = pmf[0, 0].to(ScalarType.Float64) * draws;
        var chiSquare = ((observed - expected).square() / expected).sum().item<double>();
        Assert.True(chiSquare < 379.2, $"chi-square {chiSquare:F1} with 298 degrees of freedom");
    }

    [Theory]
    [InlineData(ScalarType.Float64, 3, 4, 17, 19)]
    [InlineData(ScalarType.Float32, 3, 4, 17, 19)]
    // 120 rows of 3,000 cells, as many as a batch of CAMs: the per-row buffer is reused from row to row.
    [InlineData(ScalarType.Float32, 40, 4, 50, 60)]
    [InlineData(ScalarType.Float64, 40, 4, 50, 60)]
    public void Blocked_and_tensor_samplers_turn_the_same_uniforms_into_the_same_indices(ScalarType dtype, long b, long c, long h, long w)
    {
        // Both invert the same cumulative mass with the same uniforms; only a target within rounding of a cell
        // boundary may land differently.
        using var logits = torch.randn([b, c, h, w], dtype, generator: new Generator(4)).mul_(3);
        using var mass = torch.sigmoid(logits[.., 1..]).flatten(2).add(1e-5).reshape(b * (c - 1), h * w);
        using var fused = Hfpl.Sampling.BlockedInverseCdfSampler.Sample(mass, 50, new Generator(5));
        using var tensor = Hfpl.Sampling.InverseCdfSampler.Sample(mass, 50, new Generator(5));
        Assert.Equal(tensor.shape, fused.shape);
        Assert.True(fused.eq(tensor).all().item<bool>());
    }

    [Fact]
    public void Huge_finite_logits_are_accepted_even_when_their_sum_overflows()
    {
        // The finiteness check sums first; 3e38 * 32 overflows float32, so it must fall back to checking each element.
        using var logits = torch.full([1, 2, 4, 4], 3e38f);
        using var indices = hfpl.importance_sampling_indices(logits, 5, generator: new Generator(1));
        Assert.Equal(new long[] { 1, 2, 5 }, indices.shape);
        using var bad = logits.clone();
        bad[0, 1, 2, 2] = torch.tensor(float.NaN);
        var error = Assert.Throws<ArgumentException>(() => hfpl.importance_sampling_indices(bad, 5));
        Assert.Equal("logits", error.ParamName);
    }

    [Fact]
    public void The_same_seed_gives_the_same_samples_and_another_seed_differs()
    {
        using var logits = torch.randn([2, 3, 8, 8], generator: new Generator(1));
        using var a = hfpl.ImportanceSamplingPool(seed: 42);
        using var b = hfpl.ImportanceSamplingPool(seed: 42);
        using var c = hfpl.ImportanceSamplingPool(seed: 43);
        using var first = a.call(logits);
        using var second = b.call(logits);
        using var third = c.call(logits);
        Assert.True(first.eq(second).all().item<bool>());
        Assert.False(first.eq(third).all().item<bool>());
        using var next = a.call(logits); // the generator advances: the next draw differs
        Assert.False(first.eq(next).all().item<bool>());
    }

    [Fact]
    public void Pooled_values_are_the_logits_at_the_drawn_indices_and_gradient_counts_the_draws()
    {
        using var logits = torch.randn([2, 3, 4, 4], ScalarType.Float64, generator: new Generator(5)).requires_grad_(true);
        using var g1 = new Generator(7);
        using var g2 = new Generator(7);
        using var indices = hfpl.importance_sampling_indices(logits, 10, generator: g1);
        using var pooled = hfpl.importance_sampling_pool(logits, 10, generator: g2);
        Assert.Equal(new long[] { 2, 3, 10 }, pooled.shape);
        TensorAssert.Close(logits.detach().flatten(2).gather(2, indices), pooled, 0, 0);
        pooled.sum().backward();
        // d sum / d z(x) = number of times x was drawn: no gradient through the pmf.
        using var counts = torch.zeros(2, 3, 16, ScalarType.Float64).scatter_add_(2, indices, torch.ones(2, 3, 10, ScalarType.Float64));
        TensorAssert.Close(counts, logits.grad!.flatten(2), 0, 0);
    }

    [Fact]
    public void Multinomial_pool_gathers_probabilities_turned_back_into_logits_and_drops_background()
    {
        using var logits = torch.randn([1, 3, 4, 4], ScalarType.Float64, generator: new Generator(5));
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        using var indices = hfpl.importance_sampling_indices(logits, 6, Posterior.Multinomial, hasBackground: true, generator: g1);
        using var pooled = hfpl.importance_sampling_pool(logits, 6, Posterior.Multinomial, hasBackground: true, generator: g2);
        Assert.Equal(new long[] { 1, 2, 6 }, pooled.shape);
        using var probabilities = torch.softmax(logits, 1)[.., 1..].flatten(2).gather(2, indices);
        TensorAssert.Close(hfpl.probability_to_logit(probabilities), pooled, 1e-12, 0);
    }

    [Fact]
    public void Extreme_logits_give_valid_indices_and_a_near_uniform_pmf_for_a_class_absent_everywhere()
    {
        using var logits = torch.full([1, 2, 3, 3], -100.0);
        logits[0, 1, 1, 1] = torch.tensor(100.0f);
        using var pmf = hfpl.importance_sampling_pmf(logits);
        TensorAssert.Close(torch.full(9, 1.0 / 9), pmf[0, 0], 1e-5, 0);
        Assert.True(pmf[0, 1, 4].item<float>() > 0.999f);
        using var indices = hfpl.importance_sampling_indices(logits, 1000, generator: new Generator(1));
        Assert.True(indices.min().item<long>() >= 0 && indices.max().item<long>() < 9);
    }

    [Fact]
    public void Float32_and_float64_keep_their_dtype()
    {
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            using var logits = torch.randn([2, 3, 4, 4], dtype);
            using var pooled = hfpl.importance_sampling_pool(logits);
            Assert.Equal(dtype, pooled.dtype);
        }
    }

    public static TheoryData<string, Func<Tensor>> BadCalls() => new()
    {
        { "logits", () => hfpl.importance_sampling_pool(torch.rand(3, 4, 4)) },
        { "logits", () => hfpl.importance_sampling_pool(torch.rand(0, 3, 4, 4)) },
        { "logits", () => hfpl.importance_sampling_pool(torch.full(1, 3, 4, 4, double.NaN)) },
        { "logits", () => hfpl.importance_sampling_pool(torch.full(1, 3, 4, 4, double.NegativeInfinity)) },
        { "logits", () => hfpl.importance_sampling_pool(torch.ones(1, 3, 4, 4, ScalarType.Int64)) },
        { "logits", () => hfpl.importance_sampling_pool(torch.rand(1, 1, 4, 4), hasBackground: true) },
        { "samples", () => hfpl.importance_sampling_pool(torch.rand(1, 3, 4, 4), samples: 0) },
        { "epsilon", () => hfpl.importance_sampling_pool(torch.rand(1, 3, 4, 4), epsilon: 0) },
    };

    [Theory]
    [MemberData(nameof(BadCalls))]
    public void Bad_input_throws_an_argument_exception_naming_the_argument(string argument, Func<Tensor> call) =>
        TensorAssert.ThrowsNaming(argument, call);

    [Fact]
    public void A_thousand_forward_backward_calls_leave_no_tensor_alive()
    {
        using var logits = torch.randn([2, 5, 8, 8]).requires_grad_(true);
        using var pool = hfpl.ImportanceSamplingPool(seed: 1);
        LeakCheck.AssertNoLeaks(1000, () =>
        {
            using var pooled = pool.call(logits);
            using var loss = pooled.sum();
            loss.backward();
            using var grad = logits.grad;
        });
    }
}

public class ImportanceSamplingMaskTests
{
    [Fact]
    public void Masked_cells_are_never_drawn_and_the_pmf_is_renormalised_over_the_rest()
    {
        using var logits = torch.randn([2, 3, 4, 5], generator: new Generator(3));
        using var mask = torch.ones([2, 1, 4, 5]);
        mask[0, 0, .., 3..] = torch.tensor(0f); // the two right columns of image 0 are padding
        mask[1, 0, 0] = torch.tensor(0.5f);    // a half-valid row in image 1
        using var pmf = hfpl.importance_sampling_pmf(logits, mask: mask);
        using var plain = hfpl.importance_sampling_pmf(logits);
        using var expected = plain * mask.flatten(2);
        using var normalised = expected / expected.sum(2, keepdim: true);
        Assert.True(pmf.allclose(normalised, 1e-6, 1e-7));
        using var indices = hfpl.importance_sampling_indices(logits, 2000, mask: mask, generator: new Generator(4));
        using var column = indices[0].remainder(5);
        Assert.True((column < 3).all().item<bool>(), "a padded cell was drawn");
        using var pooled = hfpl.importance_sampling_pool(logits, 10, mask: mask);
        Assert.Equal(new long[] { 2, 3, 10 }, pooled.shape);
    }

    [Fact]
    public void A_bad_mask_names_the_mask()
    {
        using var logits = torch.randn([2, 3, 4, 5]);
        Assert.Equal("mask", Assert.Throws<ArgumentException>(() => hfpl.importance_sampling_pmf(logits, mask: torch.ones([2, 2, 4, 5]))).ParamName);
        Assert.Equal("mask", Assert.Throws<ArgumentException>(() => hfpl.importance_sampling_pmf(logits, mask: torch.full([2, 1, 4, 5], -1f))).ParamName);
        Assert.Equal("mask", Assert.Throws<ArgumentException>(() => hfpl.importance_sampling_pmf(logits, mask: torch.zeros([2, 1, 4, 5]))).ParamName);
        Assert.Equal("mask", Assert.Throws<ArgumentException>(() => hfpl.importance_sampling_pmf(logits, mask: torch.ones([2, 1, 4, 4]))).ParamName);
    }
}
