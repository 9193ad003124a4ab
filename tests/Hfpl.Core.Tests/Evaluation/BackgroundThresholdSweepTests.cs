using Hfpl.Evaluation;

namespace Hfpl.Core.Tests.Evaluation;

public class BackgroundThresholdSweepTests
{
    // Two hand-computed images, K = 2 foreground classes (3 classes with background 0).
    // Image 1 (1 x 4): only class 1 present; channel 1 (absent) is high everywhere and must be ignored.
    //   CAM class 1 = [0.1, 0.3, 0.5, 0.7], ground truth [0, 0, 1, 1].
    // Image 2 (1 x 3): both classes present; pixel 0 ties the two channels (goes to class 1, the first).
    //   CAM class 1 = [0.2, 0.6, 0.4], CAM class 2 = [0.2, 0.4, 0.6], ground truth [0, 1, 2].
    // t = 0.00: all foreground.           gt0 -> 1: 3; gt1 -> 1: 3; gt2 -> 2: 1.   IoU = [0, 1/2, 1]      mIoU = 1/2
    // t = 0.10: 0.1 ties -> background.   gt0 -> 0: 1, -> 1: 2; gt1 -> 1: 3; ...  IoU = [1/3, 3/5, 1]    mIoU = 29/45
    // t = 0.20: both 0.2 tie.             gt0 -> 0: 2, -> 1: 1; gt1 -> 1: 3; ...  IoU = [2/3, 3/4, 1]    mIoU = 29/36
    // t = 0.30 .. 0.49: perfect.                                                  mIoU = 1 (best, first at 0.30)
    // t = 0.55: image-1 0.5 -> background. gt0 -> 0: 3; gt1 -> 0: 1, -> 1: 2; ... IoU = [3/4, 2/3, 1]    mIoU = 29/36
    static void AddHandComputedImages(BackgroundThresholdSweep sweep)
    {
        sweep.Add(
            new float[] { 0.1f, 0.3f, 0.5f, 0.7f, /* absent */ 0.9f, 0.9f, 0.9f, 0.9f },
            new[] { true, false },
            new byte[] { 0, 0, 1, 1 });
        sweep.Add(
            new float[] { 0.2f, 0.6f, 0.4f, /* class 2 */ 0.2f, 0.4f, 0.6f },
            new[] { true, true },
            new byte[] { 0, 1, 2 });
    }

    static double MeanIoUAt(ThresholdSweepResult result, double threshold) =>
        result.Curve.Single(p => Math.Abs(p.Threshold - threshold) < 1e-9).MeanIoU;

    [Fact]
    public void Default_sweep_is_0_00_to_0_59_in_steps_of_0_01()
    {
        var sweep = new BackgroundThresholdSweep(20);
        Assert.Equal(60, sweep.Thresholds.Count);
        Assert.Equal(0.0, sweep.Thresholds[0]);
        Assert.Equal(0.07, sweep.Thresholds[7]);
        Assert.Equal(0.59, sweep.Thresholds[59]);
        Assert.Equal(21, sweep.Classes);
    }

    [Fact]
    public void Custom_range()
    {
        var sweep = new BackgroundThresholdSweep(2, firstThreshold: 0.1, lastThreshold: 0.3, thresholdStep: 0.1);
        Assert.Equal([0.1, 0.2, 0.3], sweep.Thresholds);
    }

    [Fact]
    public void Curve_values_and_best_threshold_match_hand_computation()
    {
        var sweep = new BackgroundThresholdSweep(2);
        AddHandComputedImages(sweep);
        var result = sweep.Compute();

        Assert.Equal(60, result.Curve.Count);
        Assert.Equal(0.5, MeanIoUAt(result, 0.00), 12);
        Assert.Equal(29.0 / 45, MeanIoUAt(result, 0.10), 12);
        Assert.Equal(29.0 / 36, MeanIoUAt(result, 0.20), 12);
        Assert.Equal(1.0, MeanIoUAt(result, 0.30), 12);
        Assert.Equal(1.0, MeanIoUAt(result, 0.49), 12);
        Assert.Equal(29.0 / 36, MeanIoUAt(result, 0.55), 12);
        Assert.Equal(0.30, result.Best.Threshold, 12);
        Assert.Equal(1.0, result.Best.MeanIoU, 12);
        Assert.Equal(30, result.BestIndex);
        Assert.Equal(2, sweep.ImageCount);
    }

    [Fact]
    public void Confusion_matrix_behind_a_point_matches_hand_computation()
    {
        var sweep = new BackgroundThresholdSweep(2);
        AddHandComputedImages(sweep);
        var m = sweep.Compute().Matrices[10]; // t = 0.10

        Assert.Equal(7, m.PixelCount);
        Assert.Equal(1, m[0, 0]);
        Assert.Equal(2, m[0, 1]);
        Assert.Equal(3, m[1, 1]);
        Assert.Equal(1, m[2, 2]);
    }

    [Fact]
    public void A_CAM_equal_to_the_threshold_goes_to_background()
    {
        var sweep = new BackgroundThresholdSweep(1, firstThreshold: 0.24, lastThreshold: 0.26, thresholdStep: 0.01);
        sweep.Add(new[] { 0.25f }, new[] { true }, new byte[] { 1 });
        var matrices = sweep.Compute().Matrices;

        Assert.Equal(1, matrices[0][1, 1]); // 0.25 > 0.24: foreground
        Assert.Equal(1, matrices[1][1, 0]); // 0.25 = 0.25: background
        Assert.Equal(1, matrices[2][1, 0]); // 0.25 < 0.26: background
    }

    [Fact]
    public void A_CAM_of_zero_at_threshold_zero_is_background()
    {
        var sweep = new BackgroundThresholdSweep(1);
        sweep.Add(new[] { 0f, 1f }, new[] { true }, new byte[] { 0, 1 });
        Assert.Equal(1.0, sweep.Compute().Curve[0].MeanIoU, 12);
    }

    [Fact]
    public void Image_without_present_class_is_background_at_every_threshold()
    {
        var sweep = new BackgroundThresholdSweep(2);
        sweep.Add(new[] { 0.9f, 0.9f, 0.9f, 0.9f }, new[] { false, false }, new byte[] { 0, 1 });
        foreach (var m in sweep.Compute().Matrices)
        {
            Assert.Equal(1, m[0, 0]);
            Assert.Equal(1, m[1, 0]);
        }
    }

    [Fact]
    public void Void_ground_truth_is_left_out()
    {
        var sweep = new BackgroundThresholdSweep(1);
        sweep.Add(new[] { 0.9f, 0.0f }, new[] { true }, new byte[] { 1, 255 });
        var result = sweep.Compute();
        Assert.All(result.Matrices, m => Assert.Equal(1, m.PixelCount));
        Assert.Equal(1.0, result.Curve[0].MeanIoU, 12); // background absent everywhere at t = 0: NaN, left out
    }

    [Fact]
    public void NoBackground_mode_takes_the_argmax_over_present_classes_and_voids_images_without_one()
    {
        // K = 3 classes, no background. Image 1: classes 0 and 2 present, channel 1 (absent) is highest and ignored.
        //   pixel 0: max(0.2, 0.5) -> class 2; pixel 1: tie 0.8 / 0.8 -> class 0 (first). Ground truth [2, 2].
        // Image 2: no class present -> void, left out.
        // Matrix: gt 2 -> 2: 1, gt 2 -> 0: 1. IoU = [0, NaN, 1/2], mIoU = 1/4.
        var sweep = new BackgroundThresholdSweep(3, BackgroundMode.NoBackground);
        sweep.Add(new[] { 0.2f, 0.8f, 0.9f, 0.9f, 0.5f, 0.8f }, new[] { true, false, true }, new byte[] { 2, 2 });
        sweep.Add(new[] { 0.2f, 0.8f, 0.9f, 0.9f, 0.5f, 0.8f }, new[] { false, false, false }, new byte[] { 1, 1 });
        var result = sweep.Compute();

        Assert.Equal(3, sweep.Classes);
        Assert.Empty(sweep.Thresholds);
        var point = Assert.Single(result.Curve);
        Assert.True(double.IsNaN(point.Threshold));
        Assert.Equal(0.25, point.MeanIoU, 12);
        var m = Assert.Single(result.Matrices);
        Assert.Equal(2, m.PixelCount);
        Assert.Equal(1, m[2, 2]);
        Assert.Equal(1, m[2, 0]);
        Assert.True(double.IsNaN(m.ClassIoU()[1]));
    }

    [Fact]
    public void Matches_a_direct_per_threshold_labelling_on_random_data()
    {
        const int k = 4, h = 5, w = 6, images = 7;
        var random = new Random(1234);
        var sweep = new BackgroundThresholdSweep(k);
        var reference = Enumerable.Range(0, 60).Select(_ => new ConfusionMatrix(k + 1)).ToArray();
        for (var n = 0; n < images; n++)
        {
            // CAMs on the 0.01 grid so that ties with thresholds occur.
            var cams = Enumerable.Range(0, k * h * w).Select(_ => (float)(random.Next(0, 70) / 100.0)).ToArray();
            var present = Enumerable.Range(0, k).Select(_ => random.Next(2) == 1).ToArray();
            var gt = Enumerable.Range(0, h * w).Select(_ => random.Next(10) == 0 ? (byte)255 : (byte)random.Next(k + 1)).ToArray();
            sweep.Add(cams, present, gt);

            for (var i = 0; i < 60; i++)
            {
                var t = (float)(i / 100.0);
                var labels = new byte[h * w];
                for (var p = 0; p < h * w; p++)
                {
                    var best = t;
                    for (var c = 0; c < k; c++)
                        if (present[c] && cams[c * h * w + p] > best)
                        {
                            best = cams[c * h * w + p];
                            labels[p] = (byte)(c + 1);
                        }
                }
                reference[i].Add(labels, gt);
            }
        }

        var result = sweep.Compute();
        for (var i = 0; i < 60; i++)
            for (var g = 0; g <= k; g++)
                for (var p = 0; p <= k; p++)
                    Assert.Equal(reference[i][g, p], result.Matrices[i][g, p]);
    }

    [Fact]
    public void Tensor_input_for_a_batch_matches_span_input_per_image()
    {
        const int b = 3, k = 4, h = 5, w = 6;
        using var cams = torch.rand(b, k, h, w);
        using var labels = torch.tensor(new float[] { 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1 }).reshape(b, k);
        using var gt = torch.randint(0, k + 1, new long[] { b, h, w }, dtype: ScalarType.Int64);

        var fromTensors = new BackgroundThresholdSweep(k);
        fromTensors.Add(cams, labels, gt);
        var fromSingleTensors = new BackgroundThresholdSweep(k);
        for (var i = 0; i < b; i++)
        {
            using var c = cams[i];
            using var l = labels[i];
            using var g = gt[i];
            fromSingleTensors.Add(c, l, g);
        }
        var fromSpans = new BackgroundThresholdSweep(k);
        var camValues = cams.data<float>().ToArray();
        var labelValues = labels.data<float>().ToArray();
        var gtValues = gt.data<long>().ToArray();
        for (var i = 0; i < b; i++)
            fromSpans.Add(
                camValues.AsSpan(i * k * h * w, k * h * w),
                labelValues.Skip(i * k).Take(k).Select(v => v == 1).ToArray(),
                gtValues.Skip(i * h * w).Take(h * w).Select(v => (byte)v).ToArray());

        var expected = fromSpans.Compute().Curve;
        Assert.Equal(expected, fromTensors.Compute().Curve);
        Assert.Equal(expected, fromSingleTensors.Compute().Curve);
        Assert.Equal(3, fromTensors.ImageCount);
    }

    [Fact]
    public void Merge_equals_adding_everything_to_one_sweep()
    {
        var whole = new BackgroundThresholdSweep(2);
        AddHandComputedImages(whole);
        var first = new BackgroundThresholdSweep(2);
        first.Add(new float[] { 0.1f, 0.3f, 0.5f, 0.7f, 0.9f, 0.9f, 0.9f, 0.9f }, new[] { true, false }, new byte[] { 0, 0, 1, 1 });
        var second = new BackgroundThresholdSweep(2);
        second.Add(new float[] { 0.2f, 0.6f, 0.4f, 0.2f, 0.4f, 0.6f }, new[] { true, true }, new byte[] { 0, 1, 2 });

        first.Merge(second);

        Assert.Equal(whole.Compute().Curve, first.Compute().Curve);
        Assert.Equal(2, first.ImageCount);
        Assert.Equal("other", Assert.Throws<ArgumentException>(() => first.Merge(new BackgroundThresholdSweep(2, lastThreshold: 0.5))).ParamName);
        Assert.Equal("other", Assert.Throws<ArgumentException>(() => first.Merge(new BackgroundThresholdSweep(2, BackgroundMode.NoBackground))).ParamName);
    }

    [Fact]
    public void Span_input_of_wrong_length_throws_naming_the_argument()
    {
        var sweep = new BackgroundThresholdSweep(2);
        Assert.Equal("cams", Assert.Throws<ArgumentException>(() => sweep.Add(new float[5], new[] { true, true }, new byte[3])).ParamName);
        Assert.Equal("imageLabels", Assert.Throws<ArgumentException>(() => sweep.Add(new float[6], new[] { true }, new byte[3])).ParamName);
    }

    [Fact]
    public void Bad_values_throw_naming_the_argument_and_add_nothing()
    {
        var sweep = new BackgroundThresholdSweep(2);
        Assert.Equal("groundTruth", Assert.Throws<ArgumentException>(() => sweep.Add(new float[2], new[] { true, true }, new byte[] { 3 })).ParamName);
        Assert.Equal("cams", Assert.Throws<ArgumentException>(() => sweep.Add(new[] { float.NaN, 0f }, new[] { true, false }, new byte[] { 0 })).ParamName);
        sweep.Add(new[] { 0f, float.NaN }, new[] { true, false }, new byte[] { 0 }); // NaN in an absent channel is never read
        Assert.Equal(1, sweep.ImageCount);
        Assert.Equal(1, sweep.Compute().Matrices[0].PixelCount);
    }

    [Fact]
    public void Bad_tensors_throw_naming_the_argument()
    {
        var sweep = new BackgroundThresholdSweep(2);
        using var cams = torch.rand(2, 3, 4);
        using var labels = torch.tensor(new float[] { 1, 0 });
        using var gt = torch.zeros(3, 4, dtype: ScalarType.Int64);
        using var wrongChannels = torch.rand(3, 3, 4);
        using var intCams = torch.zeros(2, 3, 4, dtype: ScalarType.Int32);
        using var badLabels = torch.tensor(new float[] { 1, 2 });
        using var wrongGt = torch.zeros(4, 3, dtype: ScalarType.Int64);
        using var floatGt = torch.zeros(3, 4);

        Assert.Equal("cams", Assert.Throws<ArgumentException>(() => sweep.Add(wrongChannels, labels, gt)).ParamName);
        Assert.Equal("cams", Assert.Throws<ArgumentException>(() => sweep.Add(intCams, labels, gt)).ParamName);
        Assert.Equal("imageLabels", Assert.Throws<ArgumentException>(() => sweep.Add(cams, badLabels, gt)).ParamName);
        var shape = Assert.Throws<ArgumentException>(() => sweep.Add(cams, labels, wrongGt));
        Assert.Equal("groundTruth", shape.ParamName);
        Assert.Contains("[2, 3, 4]", shape.Message);
        Assert.Contains("[4, 3]", shape.Message);
        Assert.Equal("groundTruth", Assert.Throws<ArgumentException>(() => sweep.Add(cams, labels, floatGt)).ParamName);
        Assert.Equal(0, sweep.ImageCount);
    }

    [Fact]
    public void Constructor_rejects_bad_settings()
    {
        Assert.Equal("foregroundClasses", Assert.Throws<ArgumentOutOfRangeException>(() => new BackgroundThresholdSweep(0)).ParamName);
        Assert.Equal("thresholdStep", Assert.Throws<ArgumentOutOfRangeException>(() => new BackgroundThresholdSweep(2, thresholdStep: 0)).ParamName);
        Assert.Equal("lastThreshold", Assert.Throws<ArgumentOutOfRangeException>(() => new BackgroundThresholdSweep(2, firstThreshold: 0.5, lastThreshold: 0.4)).ParamName);
        Assert.Equal("ignoreIndex", Assert.Throws<ArgumentOutOfRangeException>(() => new BackgroundThresholdSweep(2, ignoreIndex: 2)).ParamName);
        Assert.Equal("mode", Assert.Throws<ArgumentOutOfRangeException>(() => new BackgroundThresholdSweep(2, (BackgroundMode)7)).ParamName);
    }
}
