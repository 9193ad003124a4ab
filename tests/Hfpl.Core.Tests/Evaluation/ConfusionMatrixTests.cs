using Hfpl.Evaluation;

namespace Hfpl.Core.Tests.Evaluation;

public class ConfusionMatrixTests
{
    // Hand-computed case, 3 classes. The last pixel has void ground truth and is left out.
    //   (gt, pred): (0,0) (0,1) (1,1) (1,1) (2,0)
    //   TP = [1, 2, 0], FP = [1, 1, 0], FN = [1, 0, 1]
    //   IoU = [1/3, 2/3, 0], mIoU = 1/3, pixel accuracy = 3/5
    static readonly byte[] Prediction = [0, 1, 1, 1, 0, 2];
    static readonly byte[] GroundTruth = [0, 0, 1, 1, 2, 255];

    [Fact]
    public void Counts_follow_ground_truth_rows_and_prediction_columns()
    {
        var m = new ConfusionMatrix(3);
        m.Add(Prediction, GroundTruth);

        Assert.Equal(5, m.PixelCount);
        Assert.Equal(1, m[0, 0]);
        Assert.Equal(1, m[0, 1]);
        Assert.Equal(2, m[1, 1]);
        Assert.Equal(1, m[2, 0]);
        Assert.Equal(0, m[2, 2]);
        Assert.Equal([1L, 2L, 0L], Enumerable.Range(0, 3).Select(m.TruePositives));
        Assert.Equal([1L, 1L, 0L], Enumerable.Range(0, 3).Select(m.FalsePositives));
        Assert.Equal([1L, 0L, 1L], Enumerable.Range(0, 3).Select(m.FalseNegatives));
    }

    [Fact]
    public void IoU_mIoU_and_pixel_accuracy_match_hand_computation()
    {
        var m = new ConfusionMatrix(3);
        m.Add(Prediction, GroundTruth);

        var iou = m.ClassIoU();
        Assert.Equal(1.0 / 3, iou[0], 12);
        Assert.Equal(2.0 / 3, iou[1], 12);
        Assert.Equal(0.0, iou[2], 12);
        Assert.Equal(1.0 / 3, m.MeanIoU(), 12);
        Assert.Equal(3.0 / 5, m.PixelAccuracy(), 12);
    }

    [Fact]
    public void Class_absent_everywhere_gets_NaN_and_is_left_out_of_the_mean()
    {
        var m = new ConfusionMatrix(4);
        m.Add(Prediction, GroundTruth);

        Assert.True(double.IsNaN(m.ClassIoU()[3]));
        Assert.Equal(1.0 / 3, m.MeanIoU(), 12); // (1/3 + 2/3 + 0) / 3, not / 4
    }

    [Fact]
    public void Class_only_predicted_gets_IoU_zero_and_counts_in_the_mean()
    {
        var m = new ConfusionMatrix(2);
        m.Add(new byte[] { 0, 1 }, new byte[] { 0, 0 });

        Assert.Equal(0.0, m.ClassIoU()[1]);
        Assert.Equal(0.25, m.MeanIoU(), 12); // IoU0 = 1/2, IoU1 = 0
    }

    [Fact]
    public void Ignore_index_in_prediction_leaves_the_pixel_out()
    {
        var m = new ConfusionMatrix(2);
        m.Add(new byte[] { 255, 1, 255 }, new byte[] { 0, 1, 255 });

        Assert.Equal(1, m.PixelCount);
        Assert.Equal(1, m[1, 1]);
        Assert.Equal(0, m[0, 0] + m[0, 1]);
    }

    [Fact]
    public void Configurable_ignore_index()
    {
        var m = new ConfusionMatrix(300, ignoreIndex: -1);
        m.Add(new[] { 299, 5, 7 }, new[] { 299, -1, 8 });

        Assert.Equal(2, m.PixelCount);
        Assert.Equal(1, m[299, 299]);
        Assert.Equal(1, m[8, 7]);
        Assert.Throws<ArgumentException>(() => m.Add(new[] { 300 }, new[] { 0 }));
    }

    [Fact]
    public void Empty_matrix_reports_NaN()
    {
        var m = new ConfusionMatrix(3);
        Assert.True(double.IsNaN(m.MeanIoU()));
        Assert.True(double.IsNaN(m.PixelAccuracy()));
    }

    [Fact]
    public void Merge_of_two_halves_equals_adding_everything_to_one_matrix()
    {
        var whole = new ConfusionMatrix(3);
        whole.Add(Prediction, GroundTruth);
        var first = new ConfusionMatrix(3);
        first.Add(Prediction.AsSpan(0, 2), GroundTruth.AsSpan(0, 2));
        var second = new ConfusionMatrix(3);
        second.Add(Prediction.AsSpan(2), GroundTruth.AsSpan(2));
        var meanOfParts = (first.MeanIoU() + second.MeanIoU()) / 2; // (1/4 + 1/3) / 2

        first.Merge(second);

        Assert.Equal(whole.PixelCount, first.PixelCount);
        for (var g = 0; g < 3; g++)
            for (var p = 0; p < 3; p++)
                Assert.Equal(whole[g, p], first[g, p]);
        Assert.Equal(whole.MeanIoU(), first.MeanIoU(), 15);
        // Pooled counts, not an average of per-part scores.
        Assert.Equal(7.0 / 24, meanOfParts, 12);
        Assert.Equal(1.0 / 3, first.MeanIoU(), 12);
    }

    [Fact]
    public void Merge_rejects_another_class_count_or_ignore_index()
    {
        var m = new ConfusionMatrix(3);
        Assert.Equal("other", Assert.Throws<ArgumentException>(() => m.Merge(new ConfusionMatrix(4))).ParamName);
        Assert.Equal("other", Assert.Throws<ArgumentException>(() => m.Merge(new ConfusionMatrix(3, 254))).ParamName);
    }

    [Fact]
    public void Reset_clears_every_count()
    {
        var m = new ConfusionMatrix(3);
        m.Add(Prediction, GroundTruth);
        m.Reset();
        Assert.Equal(0, m.PixelCount);
        Assert.Equal(0, m[1, 1]);
    }

    [Fact]
    public void Tensor_input_matches_span_input_for_HW_and_BHW_and_any_integer_dtype()
    {
        var expected = new ConfusionMatrix(3);
        expected.Add(Prediction, GroundTruth);

        using var p2 = torch.tensor(Prediction).reshape(2, 3);
        using var g2 = torch.tensor(GroundTruth).reshape(2, 3);
        using var p3 = p2.to_type(ScalarType.Int64).reshape(2, 1, 3);
        using var g3 = g2.to_type(ScalarType.Int32).reshape(2, 1, 3);

        var fromHw = new ConfusionMatrix(3);
        fromHw.Add(p2, g2);
        var fromBhw = new ConfusionMatrix(3);
        fromBhw.Add(p3, g3);

        foreach (var m in new[] { fromHw, fromBhw })
        {
            Assert.Equal(expected.PixelCount, m.PixelCount);
            for (var g = 0; g < 3; g++)
                for (var p = 0; p < 3; p++)
                    Assert.Equal(expected[g, p], m[g, p]);
        }
    }

    [Theory]
    [InlineData(ScalarType.Int8, ScalarType.Int8)]
    [InlineData(ScalarType.Int16, ScalarType.Int16)]
    [InlineData(ScalarType.Int32, ScalarType.Int32)]
    [InlineData(ScalarType.Int64, ScalarType.Int64)]
    [InlineData(ScalarType.Int8, ScalarType.Int64)]
    [InlineData(ScalarType.Int16, ScalarType.Int32)]
    public void Tensor_input_of_every_signed_integer_dtype_gives_the_same_counts(ScalarType predictionType, ScalarType groundTruthType)
    {
        // Void as -1 so that it fits every signed dtype (uint8 is covered above).
        int[] prediction = [0, 1, 1, 1, 0, 2], groundTruth = [0, 0, 1, 1, 2, -1];
        var expected = new ConfusionMatrix(3, ignoreIndex: -1);
        expected.Add(prediction, groundTruth);

        using var p = torch.tensor(prediction).reshape(2, 3).to_type(predictionType);
        using var g = torch.tensor(groundTruth).reshape(2, 3).to_type(groundTruthType);
        var m = new ConfusionMatrix(3, ignoreIndex: -1);
        m.Add(p, g);

        Assert.Equal(expected.PixelCount, m.PixelCount);
        for (var gi = 0; gi < 3; gi++)
            for (var pi = 0; pi < 3; pi++)
                Assert.Equal(expected[gi, pi], m[gi, pi]);
    }

    [Fact]
    public void Tensor_input_does_not_leak_tensors()
    {
        using var p = torch.tensor(Prediction).reshape(2, 3);
        using var g = torch.tensor(GroundTruth).reshape(2, 3);
        var m = new ConfusionMatrix(3);
        using var scope = torch.NewDisposeScope();
        m.Add(p, g);
        Assert.Equal(0, scope.DisposablesCount);
    }

    [Fact]
    public void Shape_mismatch_names_both_arguments_and_shapes()
    {
        using var p = torch.zeros(2, 3, dtype: ScalarType.Int64);
        using var g = torch.zeros(3, 2, dtype: ScalarType.Int64);
        var ex = Assert.Throws<ArgumentException>(() => new ConfusionMatrix(3).Add(p, g));
        Assert.Contains("prediction", ex.Message);
        Assert.Contains("groundTruth", ex.Message);
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[3, 2]", ex.Message);

        var spanEx = Assert.Throws<ArgumentException>(() => new ConfusionMatrix(3).Add(new byte[4], new byte[5]));
        Assert.Contains("prediction", spanEx.Message);
        Assert.Contains("groundTruth", spanEx.Message);
        Assert.Contains("4", spanEx.Message);
        Assert.Contains("5", spanEx.Message);
    }

    [Theory]
    [InlineData(new[] { 0, 3 }, new[] { 0, 0 }, "prediction")]
    [InlineData(new[] { 0, 0 }, new[] { 0, 7 }, "groundTruth")]
    [InlineData(new[] { -1, 0 }, new[] { 0, 0 }, "prediction")]
    [InlineData(new[] { 0, 0 }, new[] { 254, 0 }, "groundTruth")]
    public void Value_outside_the_classes_throws_naming_the_argument_and_adds_nothing(int[] prediction, int[] groundTruth, string name)
    {
        var m = new ConfusionMatrix(3);
        var ex = Assert.Throws<ArgumentException>(() => m.Add(prediction, groundTruth));
        Assert.Equal(name, ex.ParamName);
        Assert.Equal(0, m.PixelCount);

        using var p = torch.tensor(prediction);
        using var g = torch.tensor(groundTruth);
        using var p2 = p.reshape(1, 2);
        using var g2 = g.reshape(1, 2);
        Assert.Equal(name, Assert.Throws<ArgumentException>(() => m.Add(p2, g2)).ParamName);
        Assert.Equal(0, m.PixelCount);
    }

    [Fact]
    public void Wrong_rank_or_dtype_throws_naming_the_argument()
    {
        var m = new ConfusionMatrix(3);
        using var flat = torch.zeros(6, dtype: ScalarType.Int64);
        using var hw = torch.zeros(2, 3, dtype: ScalarType.Int64);
        using var floats = torch.zeros(2, 3);
        Assert.Equal("prediction", Assert.Throws<ArgumentException>(() => m.Add(flat, hw)).ParamName);
        Assert.Equal("groundTruth", Assert.Throws<ArgumentException>(() => m.Add(hw, floats)).ParamName);
    }

    [Fact]
    public void Constructor_rejects_bad_classes_and_ignore_index()
    {
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(0)).ParamName);
        Assert.Equal("ignoreIndex", Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(3, ignoreIndex: 2)).ParamName);
        Assert.Equal("ignoreIndex", Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(256)).ParamName);
    }

    [Fact]
    public void Indexer_rejects_class_out_of_range()
    {
        var m = new ConfusionMatrix(3);
        Assert.Equal("prediction", Assert.Throws<ArgumentOutOfRangeException>(() => m[0, 3]).ParamName);
        Assert.Equal("classIndex", Assert.Throws<ArgumentOutOfRangeException>(() => m.TruePositives(-1)).ParamName);
    }
}
