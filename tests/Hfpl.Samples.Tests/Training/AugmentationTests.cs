using Hfpl.Samples.Training;

namespace Hfpl.Samples.Tests.Training;

public class AugmentationTests
{
    [Fact]
    public void The_valid_mask_marks_exactly_the_image_pixels_of_a_padded_crop()
    {
        using var image = torch.full([3, 20, 30], 0.5f);
        var options = new TrainingOptions { CropSize = 32, ScaleRange = (0.5, 0.9), ColourJitter = 0 };
        var random = new Random(1);
        for (var i = 0; i < 20; i++)
        {
            var (crop, valid) = Augmentation.Apply(image, options, random);
            using (crop) using (valid)
            {
                Assert.Equal(new long[] { 3, 32, 32 }, crop.shape);
                Assert.Equal(new long[] { 1, 32, 32 }, valid.shape);
                Assert.True(valid.sum().item<float>() < 32 * 32, "an image smaller than the crop must leave padding");
                using var imagePixels = crop[0].unsqueeze(0) > 0.25f;
                Assert.True(imagePixels.eq(valid > 0.5f).all().item<bool>(), "valid must be 1 exactly on image pixels");
            }
        }
    }

    [Fact]
    public void A_crop_of_a_larger_image_is_all_valid()
    {
        using var image = torch.rand([3, 80, 90]);
        var (crop, valid) = Augmentation.Apply(image, new TrainingOptions { CropSize = 32 }, new Random(2));
        using (crop) using (valid) Assert.Equal(32 * 32, valid.sum().item<float>());
    }

    [Fact]
    public void The_same_seed_gives_the_same_crops()
    {
        using var image = torch.rand([3, 40, 50], generator: new Generator(3));
        var options = new TrainingOptions { CropSize = 32 };
        using var a = Augmentation.Apply(image, options, new Random(5)).Image;
        using var b = Augmentation.Apply(image, options, new Random(5)).Image;
        using var c = Augmentation.Apply(image, options, new Random(6)).Image;
        Assert.True(a.eq(b).all().item<bool>());
        Assert.False(a.eq(c).all().item<bool>());
    }

    /// <summary>A horizontal ramp: the value of a column is its position across the image, 0 at the left, 1 at the right.</summary>
    static Tensor Ramp(int height, int width) =>
        torch.linspace(0, 1, width).view(1, 1, width).expand(3, height, width).contiguous();

    [Theory]
    [InlineData(480, 640)]
    [InlineData(213, 320)]
    [InlineData(1200, 1600)]
    public void With_a_long_side_range_a_crop_shows_most_of_the_image_whatever_its_size(int height, int width)
    {
        using var image = Ramp(height, width);
        var options = new TrainingOptions { CropSize = 224, LongSideRange = TrainingOptions.LongSideForCrop(224), ColourJitter = 0 };
        var random = new Random(4);
        for (var i = 0; i < 20; i++)
        {
            var (crop, valid) = Augmentation.Apply(image, options, random);
            using (crop) using (valid)
            {
                // The long side is at most 384 pixels, so 224 columns of it span at least 224/384 = 58 % of the image.
                using var visible = crop[0][valid[0] > 0.5f];
                var span = (visible.max() - visible.min()).item<float>();
                Assert.True(span >= 0.57f, $"a crop of a {width}x{height} image spans {span:P0} of its width");
            }
        }
    }

    [Fact]
    public void With_relative_scales_a_crop_of_a_large_photograph_shows_only_a_part_of_it()
    {
        // The failure the long-side range fixes: 0.7-1.3 of a 640-pixel photograph leaves a 224 crop at most half of it.
        using var image = Ramp(480, 640);
        var options = new TrainingOptions { CropSize = 224, ScaleRange = (0.7, 1.3), ColourJitter = 0 };
        var random = new Random(4);
        for (var i = 0; i < 20; i++)
        {
            var (crop, valid) = Augmentation.Apply(image, options, random);
            using (crop) using (valid) Assert.True((crop[0].max() - crop[0].min()).item<float>() < 0.51f);
        }
    }

    [Fact]
    public void The_long_side_range_and_inference_size_follow_the_crop()
    {
        Assert.Equal((448, 768), TrainingOptions.LongSideForCrop(448));
        Assert.Equal((224, 384), TrainingOptions.LongSideForCrop(224));
        Assert.Equal(293, new TrainingOptions { LongSideRange = (224, 384) }.InferenceLongSide);
        Assert.Null(new TrainingOptions().InferenceLongSide);
        Assert.Contains(new TrainingOptions { LongSideRange = (300, 200) }.Validate(), e => e.Contains("long-side range"));
    }
}

public class ProgressLineTests
{
    [Theory]
    [InlineData(59, "00:59")]
    [InlineData(3599, "59:59")]
    [InlineData(3600, "1:00:00")]
    [InlineData(3 * 3600 + 125, "3:02:05")]
    public void Durations_show_hours_from_an_hour_on(int seconds, string expected) =>
        Assert.Equal(expected, ProgressLine.Clock(TimeSpan.FromSeconds(seconds)));
}

public class TrainingDivergenceTests
{
    [Fact]
    public void A_loss_that_is_not_finite_stops_training_with_the_step_and_what_to_change()
    {
        var data = new Hfpl.Samples.Data.SyntheticDataset(new Hfpl.Samples.Data.SyntheticOptions { Seed = 1, Count = 4, Width = 40, Height = 40 }).ToList();
        var spec = new Hfpl.Samples.Experiments.ModelSpec("cam", AddOn: false, "small", 8, 5, Seed: 0);
        using var model = spec.Create();
        var options = new TrainingOptions { Steps = 5, BatchSize = 2, CropSize = 40, LearningRate = 10 };
        using (torch.no_grad())
            foreach (var p in model.parameters()) p.fill_(float.NaN);
        var e = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(model, data, options));
        Assert.Equal(1, e.Step);
        Assert.Contains("training diverged at step 1", e.Message);
        Assert.Contains("lower --lr", e.Message);
    }
}
