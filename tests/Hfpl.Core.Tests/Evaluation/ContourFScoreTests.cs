using Hfpl.Evaluation;

namespace Hfpl.Core.Tests.Evaluation;

public class ContourFScoreTests
{
    /// <summary>An h x w label map of background 0 with full-width horizontal bands: rows [from, to) get the label.</summary>
    static byte[] Bands(int h, int w, params (int From, int To, byte Label)[] bands)
    {
        var labels = new byte[h * w];
        foreach (var (from, to, label) in bands)
            labels.AsSpan(from * w, (to - from) * w).Fill(label);
        return labels;
    }

    /// <summary>An h x w label map of background 0 with a rectangle of the label at rows [y0, y1), columns [x0, x1).</summary>
    static byte[] Rectangle(int h, int w, int y0, int y1, int x0, int x1, byte label)
    {
        var labels = new byte[h * w];
        for (var y = y0; y < y1; y++) labels.AsSpan(y * w + x0, x1 - x0).Fill(label);
        return labels;
    }

    static ContourFScore VocStyle(int classes = 3) => new(classes, Enumerable.Range(1, classes - 1));

    [Theory]
    [InlineData(375, 500, 5)] // diagonal 625, 0.008 * 625 = 5 exactly
    [InlineData(500, 375, 5)]
    [InlineData(240, 320, 4)] // diagonal 400 -> 3.2
    [InlineData(100, 100, 2)] // 141.4 -> 1.13
    [InlineData(1000, 1000, 12)] // 1414.2 -> 11.3
    [InlineData(50, 50, 1)] // 70.7 -> 0.57
    [InlineData(1, 1, 1)]
    public void Tolerance_radius_is_ceil_of_0_008_times_the_diagonal(int h, int w, int expected) =>
        Assert.Equal(expected, ContourFScore.ToleranceRadius(h, w));

    [Fact]
    public void Perfect_prediction_scores_one()
    {
        var gt = Rectangle(40, 60, 5, 30, 10, 50, 1);
        gt.AsSpan(35 * 60, 60).Fill(2);
        var f = VocStyle();
        f.Add(gt, gt, 40, 60);

        Assert.Equal(1.0, f.MeanFScore());
        Assert.All(f.ClassFScore(), v => Assert.Equal(1.0, v));
        Assert.All(f.ClassPrecision(), v => Assert.Equal(1.0, v));
        Assert.All(f.ClassRecall(), v => Assert.Equal(1.0, v));
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(5, 1.0)] // exactly the tolerance (5 px at 375 x 500): still matched
    [InlineData(6, 0.0)]
    [InlineData(20, 0.0)]
    public void Band_shifted_by_at_most_the_tolerance_scores_one_and_by_more_scores_zero(int shift, double expected)
    {
        const int h = 375, w = 500;
        var f = VocStyle(2);
        f.Add(Bands(h, w, (100 + shift, 200 + shift, 1)), Bands(h, w, (100, 200, 1)), h, w);

        Assert.Equal(expected, f.ClassFScore()[1]);
        Assert.Equal(expected, f.ClassPrecision()[1]);
        Assert.Equal(expected, f.ClassRecall()[1]);
        Assert.Equal(expected, f.MeanFScore());
    }

    [Fact]
    public void Partial_match_matches_hand_computation()
    {
        // 50 x 50, tolerance 1. Ground truth: class 1 on rows 10..19, boundary rows 9 and 19 (100 pixels).
        // Prediction: rows 10..19 and 30..34, boundary rows 9, 19, 29 and 34 (200 pixels), of which rows 9 and 19 match.
        // P = 100 / 200, R = 100 / 100, F = 2 * 0.5 * 1 / 1.5 = 2/3.
        var f = VocStyle(2);
        f.Add(Bands(50, 50, (10, 20, 1), (30, 35, 1)), Bands(50, 50, (10, 20, 1)), 50, 50);

        Assert.Equal(0.5, f.ClassPrecision()[1], 12);
        Assert.Equal(1.0, f.ClassRecall()[1], 12);
        Assert.Equal(2.0 / 3, f.ClassFScore()[1], 12);
    }

    [Fact]
    public void The_present_class_mean_gives_no_credit_for_classes_nobody_drew()
    {
        // Six foreground classes, the ground truth holds only class 1, the prediction is all background: docs/method.md's mean
        // scores the five absent classes 1 each (5/6), the mean over present classes scores the one missed class 0.
        var score = new ContourFScore(7, Enumerable.Range(1, 6));
        score.Add(new byte[40 * 60], Rectangle(40, 60, 5, 30, 10, 50, 1), 40, 60);
        TensorAssertClose(5.0 / 6, score.MeanFScore());
        Assert.Equal([1], score.PresentForegroundClasses());
        Assert.Equal(0, score.MeanFScoreOverPresentClasses());

        // A perfect prediction of that class scores 1 both ways; a class that is void everywhere is not present.
        var perfect = new ContourFScore(7, Enumerable.Range(1, 6));
        var gt = Rectangle(40, 60, 5, 30, 10, 50, 1);
        gt[0] = 255;
        perfect.Add(gt, gt, 40, 60);
        Assert.Equal(1, perfect.MeanFScoreOverPresentClasses());
        Assert.True(double.IsNaN(new ContourFScore(7, Enumerable.Range(1, 6)).MeanFScoreOverPresentClasses()));
    }

    [Fact]
    public void Presence_survives_a_merge()
    {
        var (a, b) = (VocStyle(), VocStyle());
        b.Add(new byte[20 * 20], Rectangle(20, 20, 2, 10, 2, 10, 2), 20, 20);
        a.Merge(b);
        Assert.Equal([2], a.PresentForegroundClasses());
    }

    static void TensorAssertClose(double expected, double actual) => Assert.True(Math.Abs(expected - actual) < 1e-12, $"expected {expected}, got {actual}");

    [Fact]
    public void Class_absent_from_both_sides_scores_one()
    {
        var gt = Rectangle(30, 30, 5, 15, 5, 15, 1);
        var f = VocStyle(3);
        f.Add(gt, gt, 30, 30);

        Assert.Equal(1.0, f.ClassFScore()[2]);
        Assert.Equal(1.0, f.ClassPrecision()[2]);
        Assert.Equal(1.0, f.ClassRecall()[2]);
        Assert.Equal(1.0, f.MeanFScore());
    }

    [Fact]
    public void Class_only_predicted_scores_zero()
    {
        var gt = Rectangle(30, 30, 5, 15, 5, 15, 1);
        var prediction = (byte[])gt.Clone();
        prediction[25 * 30 + 25] = 2;
        var f = VocStyle(3);
        f.Add(prediction, gt, 30, 30);

        Assert.Equal(0.0, f.ClassFScore()[2]);
        Assert.Equal(0.0, f.ClassPrecision()[2]);
        Assert.Equal(1.0, f.ClassRecall()[2]);
        Assert.Equal(0.5, f.MeanFScore(), 12); // (1 + 0) / 2
    }

    [Fact]
    public void Class_missed_by_the_prediction_scores_zero()
    {
        var prediction = Rectangle(30, 30, 5, 15, 5, 15, 1);
        var gt = (byte[])prediction.Clone();
        gt[25 * 30 + 25] = 2;
        var f = VocStyle(3);
        f.Add(prediction, gt, 30, 30);

        Assert.Equal(0.0, f.ClassFScore()[2]);
        Assert.Equal(1.0, f.ClassPrecision()[2]);
        Assert.Equal(0.0, f.ClassRecall()[2]);
    }

    [Fact]
    public void Presence_is_judged_over_the_whole_dataset()
    {
        // Class 2 is predicted in image 1 only and present in the ground truth of image 2 only, far apart:
        // both sides have boundary pixels over the dataset, none matched, so F = 0 from P = R = 0.
        var empty = new byte[30 * 30];
        var f = VocStyle(3);
        f.Add(Rectangle(30, 30, 2, 8, 2, 8, 2), empty, 30, 30);
        f.Add(empty, Rectangle(30, 30, 20, 28, 20, 28, 2), 30, 30);

        Assert.Equal(0.0, f.ClassPrecision()[2]);
        Assert.Equal(0.0, f.ClassRecall()[2]);
        Assert.Equal(0.0, f.ClassFScore()[2]);
    }

    [Fact]
    public void Counts_are_pooled_over_the_dataset_not_averaged_per_image()
    {
        // Image A (50 x 50, tolerance 1): perfect, 100 boundary pixels on each side.
        // Image B (50 x 20, tolerance 1): band shifted by 5 rows, 40 boundary pixels on each side, none matched.
        // Pooled: P = R = F = 100 / 140 = 5/7. A mean of per-image F would be (1 + 0) / 2.
        var f = VocStyle(2);
        var a = Bands(50, 50, (10, 20, 1));
        f.Add(a, a, 50, 50);
        f.Add(Bands(50, 20, (15, 25, 1)), Bands(50, 20, (10, 20, 1)), 50, 20);

        Assert.Equal(5.0 / 7, f.ClassPrecision()[1], 12);
        Assert.Equal(5.0 / 7, f.ClassRecall()[1], 12);
        Assert.Equal(5.0 / 7, f.MeanFScore(), 12);
        Assert.Equal(2, f.ImageCount);
    }

    [Fact]
    public void Void_counts_as_background_of_every_binary_mask()
    {
        // Ground truth: class 1 rectangle inside a 3-pixel void band; prediction: the rectangle with no band.
        // Class 1 masks are identical (void is not class 1), so class 1 scores 1.
        var gt = Rectangle(40, 40, 7, 33, 7, 33, 255);
        for (var y = 10; y < 30; y++) gt.AsSpan(y * 40 + 10, 20).Fill(1);
        var prediction = Rectangle(40, 40, 10, 30, 10, 30, 1);
        var f = VocStyle(2);
        f.Add(prediction, gt, 40, 40);
        Assert.Equal(1.0, f.ClassFScore()[1]);
        Assert.True(f.ClassFScore()[0] < 1.0); // the background mask's edge moves out to the void band

        var voidPrediction = (byte[])prediction.Clone();
        for (var y = 0; y < 40; y++) voidPrediction.AsSpan(y * 40, 5).Fill(255); // void at the left: still background
        var g = VocStyle(2);
        g.Add(voidPrediction, prediction, 40, 40);
        Assert.Equal(1.0, g.ClassFScore()[1]);
    }

    [Fact]
    public void Without_background_every_class_is_averaged()
    {
        var gt = Bands(30, 30, (10, 20, 1));
        var f = new ContourFScore(2, [0, 1]);
        f.Add(Bands(30, 30, (10, 20, 1)), gt, 30, 30);
        Assert.Equal(1.0, f.MeanFScore());

        var shifted = new ContourFScore(2, [0, 1]);
        shifted.Add(Bands(30, 30, (15, 25, 1)), gt, 30, 30);
        Assert.Equal(0.0, shifted.ClassFScore()[0]); // class 0's boundary moves with class 1's
        Assert.Equal(0.0, shifted.MeanFScore());
    }

    [Fact]
    public void Merge_equals_adding_everything_to_one_accumulator()
    {
        var a = Bands(50, 50, (10, 20, 1));
        var whole = VocStyle(2);
        whole.Add(a, a, 50, 50);
        whole.Add(Bands(50, 20, (15, 25, 1)), Bands(50, 20, (10, 20, 1)), 50, 20);
        var first = VocStyle(2);
        first.Add(a, a, 50, 50);
        var second = VocStyle(2);
        second.Add(Bands(50, 20, (15, 25, 1)), Bands(50, 20, (10, 20, 1)), 50, 20);

        first.Merge(second);

        Assert.Equal(whole.ClassFScore(), first.ClassFScore());
        Assert.Equal(whole.ClassPrecision(), first.ClassPrecision());
        Assert.Equal(2, first.ImageCount);
        Assert.Equal("other", Assert.Throws<ArgumentException>(() => first.Merge(new ContourFScore(2, [0, 1]))).ParamName);
    }

    [Fact]
    public void Tensor_input_for_a_batch_matches_span_input_per_image()
    {
        const int b = 3, h = 20, w = 24, classes = 4;
        var random = new Random(11);
        // Blocky random maps so that boundaries are neither everywhere nor absent.
        byte[] Blocky() => Enumerable.Range(0, h * w)
            .Select(i => (byte)((i / w / 5 * 7 + i % w / 6 * 3 + random.Next(2)) % classes)).ToArray();
        var predictions = Enumerable.Range(0, b).Select(_ => Blocky()).ToArray();
        var gts = Enumerable.Range(0, b).Select(_ => Blocky()).ToArray();
        gts[1][17] = 255;

        var fromSpans = new ContourFScore(classes, [1, 2, 3]);
        for (var i = 0; i < b; i++) fromSpans.Add(predictions[i], gts[i], h, w);
        using var p = torch.tensor(predictions.SelectMany(v => v).ToArray()).reshape(b, h, w);
        using var g = torch.tensor(gts.SelectMany(v => v).ToArray()).reshape(b, h, w).to_type(ScalarType.Int32);
        var fromTensors = new ContourFScore(classes, [1, 2, 3]);
        fromTensors.Add(p, g);
        var fromSingleTensors = new ContourFScore(classes, [1, 2, 3]);
        for (var i = 0; i < b; i++)
        {
            using var pi = p[i];
            using var gi = g[i];
            fromSingleTensors.Add(pi, gi);
        }

        Assert.Equal(fromSpans.ClassPrecision(), fromTensors.ClassPrecision());
        Assert.Equal(fromSpans.ClassRecall(), fromTensors.ClassRecall());
        Assert.Equal(fromSpans.ClassFScore(), fromSingleTensors.ClassFScore());
        Assert.InRange(fromSpans.MeanFScore(), 0.01, 0.99);
    }

    [Fact]
    public void Bad_input_throws_naming_the_argument_and_adds_nothing()
    {
        var f = VocStyle(3);
        var size = Assert.Throws<ArgumentException>(() => f.Add(new byte[6], new byte[5], 2, 3));
        Assert.Equal("groundTruth", size.ParamName);
        Assert.Contains("(2, 3)", size.Message);
        Assert.Equal("prediction", Assert.Throws<ArgumentException>(() => f.Add(new byte[5], new byte[6], 2, 3)).ParamName);
        Assert.Equal("prediction", Assert.Throws<ArgumentException>(() => f.Add(new byte[] { 0, 3 }, new byte[2], 1, 2)).ParamName);
        Assert.Equal("groundTruth", Assert.Throws<ArgumentException>(() => f.Add(new[] { 0, 0 }, new[] { -1, 0 }, 1, 2)).ParamName);
        Assert.Equal("height", Assert.Throws<ArgumentOutOfRangeException>(() => f.Add(new byte[0], new byte[0], 0, 2)).ParamName);

        using var p = torch.zeros(2, 3, dtype: ScalarType.Int64);
        using var g = torch.zeros(3, 2, dtype: ScalarType.Int64);
        var shape = Assert.Throws<ArgumentException>(() => f.Add(p, g));
        Assert.Contains("prediction", shape.Message);
        Assert.Contains("[2, 3]", shape.Message);
        Assert.Contains("groundTruth", shape.Message);
        Assert.Contains("[3, 2]", shape.Message);
        using var bad = torch.full(new long[] { 2, 3 }, 9, dtype: ScalarType.Int64);
        Assert.Equal("groundTruth", Assert.Throws<ArgumentException>(() => f.Add(p, bad)).ParamName);
        Assert.Equal(0, f.ImageCount);
    }

    [Fact]
    public void Constructor_rejects_bad_foreground_classes()
    {
        Assert.Equal("foregroundClasses", Assert.Throws<ArgumentException>(() => new ContourFScore(3, [])).ParamName);
        Assert.Equal("foregroundClasses", Assert.Throws<ArgumentException>(() => new ContourFScore(3, [1, 3])).ParamName);
        Assert.Equal("foregroundClasses", Assert.Throws<ArgumentException>(() => new ContourFScore(3, [1, 1])).ParamName);
        Assert.Equal("ignoreIndex", Assert.Throws<ArgumentOutOfRangeException>(() => new ContourFScore(3, [1], ignoreIndex: 0)).ParamName);
    }
}
