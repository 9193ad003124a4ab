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
}
