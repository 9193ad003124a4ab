using System.Text.Json;
using Hfpl.Tests;

namespace Hfpl.Core.Tests.Cam;

public class CamHelpersTests
{
    static IEnumerable<JsonElement> Kind(string kind) =>
        Golden.Cases("cam_helpers.json").Where(c => c.GetProperty("kind").GetString() == kind);

    [Fact]
    public void Max_norm_matches_the_golden_values_and_gradients()
    {
        var cases = Kind("maxnorm").ToList();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            using var input = Golden.Tensor(c.GetProperty("input")).requires_grad_(true);
            using var r = Golden.Tensor(c.GetProperty("r"));
            using var value = hfpl.max_norm(input);
            TensorAssert.Close(Golden.Tensor(c.GetProperty("value")), value, 1e-5, 1e-12, "max_norm");
            using var objective = (value * r).sum();
            objective.backward();
            TensorAssert.Close(Golden.Tensor(c.GetProperty("grad_input")), input.grad!, 1e-5, 1e-10, "max_norm gradient");
        }
    }

    [Fact]
    public void Binomial_predictions_match_the_golden_values_and_gradients()
    {
        var cases = Kind("label_mask_background").ToList();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            using var logits = Golden.Tensor(c.GetProperty("logits")).requires_grad_(true);
            using var labels = Golden.Tensor(c.GetProperty("labels"));
            using var r = Golden.Tensor(c.GetProperty("r"));
            using var predictions = hfpl.binomial_predictions(logits, labels);
            TensorAssert.Close(Golden.Tensor(c.GetProperty("predictions")), predictions, 1e-5, 1e-12, "predictions");
            using var objective = (predictions * r).sum();
            objective.backward();
            TensorAssert.Close(Golden.Tensor(c.GetProperty("grad_logits")), logits.grad!, 1e-5, 1e-10, "gradient");
        }
    }

    [Fact]
    public void Max_norm_maps_each_channel_to_the_unit_interval_and_zeroes_negative_channels()
    {
        using var cams = torch.tensor(new double[] { -1, 2, 4, 6, -3, -2, -1, -5 }).view(1, 2, 2, 2);
        using var n = hfpl.max_norm(cams);
        // channel 0: relu = [0, 2, 4, 6], min 0, max 6 -> relu(x - 0 - 1e-5) / (6 + 1e-5), the reference's placement of
        // the 1e-5 (inside the outer relu); channel 1 all negative -> zeros
        var expected = new[] { 0, (2 - 1e-5) / (6 + 1e-5), (4 - 1e-5) / (6 + 1e-5), (6 - 1e-5) / (6 + 1e-5), 0, 0, 0, 0 };
        TensorAssert.Close(torch.tensor(expected).view(1, 2, 2, 2), n, 1e-12, 0);
    }

    [Fact]
    public void Max_norm_maps_cells_within_1e_5_of_the_minimum_to_exactly_zero()
    {
        // relu(t - min - 1e-5): 5e-6 above the minimum is 0, not 5e-6 / (1 + 1e-5) as with the 1e-5 outside the relu.
        using var cams = torch.tensor(new double[] { 0, 5e-6, 0.5, 1 }).view(1, 1, 2, 2);
        using var n = hfpl.max_norm(cams);
        Assert.Equal(0.0, n[0, 0, 0, 1].item<double>());
        TensorAssert.Close((1 - 1e-5) / (1 + 1e-5), n[0, 0, 1, 1].item<double>(), 1e-14);
    }

    [Fact]
    public void Max_norm_gradient_matches_finite_differences()
    {
        using var cams = torch.randn([2, 3, 4, 4], ScalarType.Float64, generator: new Generator(2));
        using var r = torch.rand([2, 3, 4, 4], ScalarType.Float64, generator: new Generator(3));
        FiniteDifferences.AssertGradientMatches(x => (hfpl.max_norm(x) * r).sum(), cams, 1e-6);
    }

    [Fact]
    public void Straight_through_max_norm_has_the_exact_value_and_the_gradient_one_over_the_range_in_every_cell()
    {
        // channel 0: raw [-1, 2, 4, 6] (range 7; relu range 6); channel 1: [1, 3, 1, 2] (range 2)
        using var cams = torch.tensor(new double[] { -1, 2, 4, 6, 1, 3, 1, 2 }).view(1, 2, 2, 2).requires_grad_(true);
        using var r = torch.tensor(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }).view(1, 2, 2, 2);
        using var exact = hfpl.max_norm(cams.detach());
        using var value = hfpl.max_norm(cams, MaxNormGradient.StraightThrough);
        TensorAssert.Close(exact, value, 0, 0);
        using var objective = (value * r).sum();
        objective.backward();
        // d/dt = r / (max t - min t + 1e-5) of the raw logits per channel, also in the cell below zero and at the minimum,
        // and nothing through min or max
        var expected = new[] { 1 / (7 + 1e-5), 2 / (7 + 1e-5), 3 / (7 + 1e-5), 4 / (7 + 1e-5), 5 / (2 + 1e-5), 6 / (2 + 1e-5), 7 / (2 + 1e-5), 8 / (2 + 1e-5) };
        TensorAssert.Close(torch.tensor(expected).view(1, 2, 2, 2), cams.grad!, 1e-12, 0);
    }

    [Fact]
    public void Exact_max_norm_passes_no_gradient_to_a_cell_below_zero_and_straight_through_does()
    {
        // The FSL's reason for the option: with the exact gradient a cell outside the map's support never moves.
        using var cams = torch.tensor(new double[] { -1, 2, 4, 6 }).view(1, 1, 2, 2);
        double GradientAtNegativeCell(MaxNormGradient gradient)
        {
            using var x = cams.clone().requires_grad_(true);
            using var objective = hfpl.max_norm(x, gradient).sum();
            objective.backward();
            return x.grad![0, 0, 0, 0].item<double>();
        }
        Assert.Equal(0.0, GradientAtNegativeCell(MaxNormGradient.Exact));
        TensorAssert.Close(1 / (7 + 1e-5), GradientAtNegativeCell(MaxNormGradient.StraightThrough), 1e-12);
    }

    [Fact]
    public void Straight_through_max_norm_of_a_map_with_no_positive_cell_has_a_bounded_gradient()
    {
        // relu(t) is all zero, so its range is 0 and 1 / (0 + 1e-5) = 1e5 per cell: training went to NaN at step 2.
        // The raw range (here 3) keeps the gradient at 1 / (3 + 1e-5).
        using var x = torch.tensor(new double[] { -4, -1, -2, -3 }).view(1, 1, 2, 2).requires_grad_(true);
        using var value = hfpl.max_norm(x, MaxNormGradient.StraightThrough);
        TensorAssert.Close(torch.zeros(1, 1, 2, 2, ScalarType.Float64), value, 0, 0);
        using var objective = value.sum();
        objective.backward();
        TensorAssert.Close(torch.full([1, 1, 2, 2], 1 / (3 + 1e-5), ScalarType.Float64), x.grad!, 1e-12, 0);
    }

    [Fact]
    public void Straight_through_binomial_predictions_equal_the_exact_ones()
    {
        using var logits = torch.randn([2, 3, 5, 5], ScalarType.Float64, generator: new Generator(4));
        using var labels = torch.tensor(new double[] { 1, 0, 1, 0, 1, 0 }).view(2, 3);
        using var exact = hfpl.binomial_predictions(logits, labels);
        using var straight = hfpl.binomial_predictions(logits, labels, gradient: MaxNormGradient.StraightThrough);
        TensorAssert.Close(exact, straight, 0, 0);
        Assert.Throws<ArgumentOutOfRangeException>("gradient", () => hfpl.max_norm(logits, (MaxNormGradient)7));
    }

    [Fact]
    public void Background_channel_is_one_minus_the_largest_foreground_score()
    {
        using var fg = torch.tensor(new double[] { 0.2, 0.9, 0.5, 0.1 }).view(1, 2, 1, 2);
        using var bg = hfpl.background_channel(fg);
        TensorAssert.Close(torch.tensor(new double[] { 0.5, 0.1 }).view(1, 1, 1, 2), bg, 1e-12, 0);
    }

    [Fact]
    public void Label_mask_zeroes_absent_classes()
    {
        using var maps = torch.ones(2, 3, 2, 2);
        using var labels = torch.tensor(new float[,] { { 1, 0, 1 }, { 0, 0, 0 } });
        using var masked = hfpl.mask_labels(maps, labels);
        Assert.Equal(new float[] { 4, 0, 4, 0, 0, 0 }, masked.sum([2, 3]).flatten().data<float>().ToArray());
    }

    [Fact]
    public void Pseudo_labels_with_a_threshold_take_the_present_argmax_above_it_and_background_otherwise()
    {
        // 1 image, 3 classes, 1x4 pixels. Class 1 is absent: its high scores never win.
        using var cams = torch.tensor(new double[]
        {
            0.9, 0.2, 0.3, 0.30,   // class 0 (label 1)
            1.0, 1.0, 1.0, 1.00,   // class 1 (absent)
            0.1, 0.6, 0.2, 0.25,   // class 2 (label 3)
        }).view(1, 3, 1, 4);
        using var labels = torch.tensor(new double[,] { { 1, 0, 1 } });
        using var decoded = hfpl.pseudo_labels(cams, labels, backgroundThreshold: 0.3);
        // pixel 3: best present score 0.30 equals the threshold -> background (ties go to background)
        Assert.Equal(new long[] { 1, 3, 0, 0 }, decoded.flatten().data<long>().ToArray());
    }

    [Fact]
    public void Pseudo_labels_without_background_take_the_present_argmax_and_void_where_nothing_is_present()
    {
        using var cams = torch.tensor(new double[] { 0.1, 0.8, 0.7, 0.2, 0.1, 0.8, 0.7, 0.2 }).view(2, 2, 1, 2);
        using var labels = torch.tensor(new double[,] { { 1, 1 }, { 0, 0 } });
        using var decoded = hfpl.pseudo_labels(cams, labels, backgroundThreshold: null);
        Assert.Equal(new long[] { 1, 0, 255, 255 }, decoded.flatten().data<long>().ToArray());
    }

    public static TheoryData<string, Func<Tensor>> BadCalls() => new()
    {
        { "cams", () => hfpl.max_norm(torch.rand(2, 3, 4)) },
        { "cams", () => hfpl.max_norm(torch.ones(1, 2, 3, 4, ScalarType.Int32)) },
        { "cams", () => hfpl.max_norm(torch.full(1, 2, 3, 4, double.NaN)) },
        { "labels", () => hfpl.mask_labels(torch.rand(2, 3, 4, 4), torch.ones(2, 2)) },
        { "labels", () => hfpl.binomial_predictions(torch.rand(2, 3, 4, 4), torch.full(2, 3, 3.0)) },
        { "cams", () => hfpl.pseudo_labels(torch.rand(0, 3, 4, 4), torch.ones(0, 3), 0.2) },
        { "backgroundThreshold", () => hfpl.pseudo_labels(torch.rand(1, 3, 4, 4), torch.ones(1, 3), double.NaN) },
        { "foreground", () => hfpl.background_channel(torch.rand(3, 4, 4)) },
    };

    [Theory]
    [MemberData(nameof(BadCalls))]
    public void Bad_input_throws_an_argument_exception_naming_the_argument(string argument, Func<Tensor> call) =>
        TensorAssert.ThrowsNaming(argument, call);

    [Fact]
    public void Extreme_logits_stay_finite()
    {
        using var z = torch.tensor(new double[] { 100, -100, 100, -100 }).view(1, 2, 1, 2).requires_grad_(true);
        using var labels = torch.tensor(new double[,] { { 1, 0 } });
        using var p = hfpl.binomial_predictions(z, labels);
        TensorAssert.Finite(p, "predictions");
        p.sum().backward();
        TensorAssert.Finite(z.grad!, "gradient");
    }
}
