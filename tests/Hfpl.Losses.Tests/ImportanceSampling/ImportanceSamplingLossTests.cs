using Hfpl.Losses;
using Hfpl.Tests;

namespace Hfpl.Losses.Tests.ImportanceSampling;

public class ImportanceSamplingLossTests
{
    /// <summary>Mean BCE with logits written out element by element in plain C#: the reference.</summary>
    static double ManualBce(double[] logits, double[] targets)
    {
        double total = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var z = logits[i];
            // log(1 + e^-|z|) + max(z, 0) - z y, the stable form of -(y log s(z) + (1 - y) log(1 - s(z)))
            total += Math.Max(z, 0) - z * targets[i] + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        }
        return total / logits.Length;
    }

    static double[] Broadcast(double[,] labels, int samples)
    {
        var (b, k) = (labels.GetLength(0), labels.GetLength(1));
        var result = new double[b * k * samples];
        for (var i = 0; i < b; i++) for (var c = 0; c < k; c++) for (var s = 0; s < samples; s++)
            result[(i * k + c) * samples + s] = labels[i, c];
        return result;
    }

    [Fact]
    public void Equals_mean_binary_cross_entropy_over_all_samples_with_the_label_broadcast()
    {
        var labels = new double[,] { { 1, 0, 1 }, { 0, 0, 1 } };
        using var samples = torch.randn([2, 3, 5], ScalarType.Float64, generator: new Generator(3)).mul_(4);
        using var y = torch.tensor(labels);
        using var loss = losses.importance_sampling_loss(samples, y);
        TensorAssert.Close(ManualBce(samples.data<double>().ToArray(), Broadcast(labels, 5)), loss.item<double>(), 1e-12);
    }

    [Fact]
    public void Mixed_loss_interpolates_between_gap_and_importance_sampling()
    {
        using var samples = torch.randn([2, 3, 4], ScalarType.Float64, generator: new Generator(1));
        using var gap = torch.randn([2, 3], ScalarType.Float64, generator: new Generator(2));
        using var y = torch.tensor(new double[,] { { 1, 0, 1 }, { 0, 1, 0 } });
        var gapLoss = ManualBce(gap.data<double>().ToArray(), y.data<double>().ToArray());
        var isLoss = losses.importance_sampling_loss(samples, y).item<double>();
        TensorAssert.Close(gapLoss, losses.mixed_classification_loss(gap, samples, y, 0).item<double>(), 1e-12);
        TensorAssert.Close(isLoss, losses.mixed_classification_loss(gap, samples, y, 1).item<double>(), 1e-12);
        TensorAssert.Close(0.8 * gapLoss + 0.2 * isLoss, losses.mixed_classification_loss(gap, samples, y).item<double>(), 1e-12);
    }

    [Fact]
    public void Extreme_logits_give_the_exact_finite_loss()
    {
        using var samples = torch.tensor(new double[] { 100, 100, -100, -100 }).view(1, 2, 2);
        using var y = torch.tensor(new double[,] { { 0, 1 } });
        using var loss = losses.importance_sampling_loss(samples.requires_grad_(true), y);
        TensorAssert.Close(100.0, loss.item<double>(), 1e-12); // every sample is confidently wrong by 100
        loss.backward();
        TensorAssert.Finite(samples.grad!, "gradient");
    }

    [Fact]
    public void Gradients_match_finite_differences_in_float64()
    {
        using var samples = torch.randn([2, 3, 4], ScalarType.Float64, generator: new Generator(5));
        using var gap = torch.randn([2, 3], ScalarType.Float64, generator: new Generator(6));
        using var y = torch.tensor(new double[,] { { 1, 0, 1 }, { 0, 1, 0 } });
        FiniteDifferences.AssertGradientMatches(s => losses.importance_sampling_loss(s, y), samples);
        FiniteDifferences.AssertGradientMatches(s => losses.mixed_classification_loss(gap, s, y, 0.2), samples);
        FiniteDifferences.AssertGradientMatches(g => losses.mixed_classification_loss(g, samples, y, 0.2), gap);
    }

    [Fact]
    public void Module_equals_the_functional()
    {
        using var samples = torch.randn([2, 3, 4], generator: new Generator(5));
        using var gap = torch.randn([2, 3], generator: new Generator(6));
        using var y = torch.tensor(new float[,] { { 1, 0, 1 }, { 0, 1, 0 } });
        using var module = losses.ImportanceSamplingLoss(0.3);
        Assert.Equal(losses.mixed_classification_loss(gap, samples, y, 0.3).item<float>(), module.call(gap, samples, y).item<float>());
    }

    public static TheoryData<string, Func<Tensor>> BadCalls() => new()
    {
        { "samples", () => losses.importance_sampling_loss(torch.rand(2, 3), torch.ones(2, 3)) },
        { "labels", () => losses.importance_sampling_loss(torch.rand(2, 3, 4), torch.ones(2, 4)) },
        { "labels", () => losses.importance_sampling_loss(torch.rand(2, 3, 4), torch.ones(3, 3)) },
        { "labels", () => losses.importance_sampling_loss(torch.rand(2, 3, 4), torch.full(2, 3, 2.0)) },
        { "labels", () => losses.importance_sampling_loss(torch.rand(2, 3, 4), torch.full(2, 3, 0.5)) },
        { "samples", () => losses.importance_sampling_loss(torch.full(2, 3, 4, double.NaN), torch.ones(2, 3)) },
        { "samples", () => losses.importance_sampling_loss(torch.rand(0, 3, 4), torch.ones(0, 3)) },
        { "samples", () => losses.importance_sampling_loss(torch.ones(2, 3, 4, ScalarType.Int64), torch.ones(2, 3)) },
        { "pooledLogits", () => losses.mixed_classification_loss(torch.rand(2, 4), torch.rand(2, 3, 4), torch.ones(2, 3)) },
        { "lambda", () => losses.mixed_classification_loss(torch.rand(2, 3), torch.rand(2, 3, 4), torch.ones(2, 3), 1.5) },
    };

    [Theory]
    [MemberData(nameof(BadCalls))]
    public void Bad_input_throws_an_argument_exception_naming_the_argument(string argument, Func<Tensor> call) =>
        TensorAssert.ThrowsNaming(argument, call);

    [Fact]
    public void A_thousand_forward_backward_calls_leave_no_tensor_alive()
    {
        using var samples = torch.randn([4, 20, 10]).requires_grad_(true);
        using var gap = torch.randn([4, 20]).requires_grad_(true);
        using var y = (torch.rand(4, 20, generator: new Generator(1)) > 0.7).to(ScalarType.Float32);
        LeakCheck.AssertNoLeaks(1000, () =>
        {
            using var loss = losses.mixed_classification_loss(gap, samples, y);
            loss.backward();
            using var g1 = samples.grad;
            using var g2 = gap.grad;
        });
    }
}
