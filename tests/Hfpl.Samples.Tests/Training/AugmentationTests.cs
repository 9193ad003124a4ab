using Hfpl.Samples.Training;

namespace Hfpl.Samples.Tests.Training;

public class AugmentationTests
{
    [Fact]
    public void Crops_never_contain_padding_even_from_images_smaller_than_the_crop()
    {
        using var image = torch.full([3, 20, 30], 0.5f);
        var options = new TrainingOptions { CropSize = 32, ScaleRange = (0.5, 0.9), ColourJitter = 0 };
        var random = new Random(1);
        for (var i = 0; i < 20; i++)
        {
            using var crop = Augmentation.Apply(image, options, random);
            Assert.Equal(new long[] { 3, 32, 32 }, crop.shape);
            Assert.True(crop.min().item<float>() > 0.49f, "a crop contains padding");
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_crops()
    {
        using var image = torch.rand([3, 40, 50], generator: new Generator(3));
        var options = new TrainingOptions { CropSize = 32 };
        using var a = Augmentation.Apply(image, options, new Random(5));
        using var b = Augmentation.Apply(image, options, new Random(5));
        using var c = Augmentation.Apply(image, options, new Random(6));
        Assert.True(a.eq(b).all().item<bool>());
        Assert.False(a.eq(c).all().item<bool>());
    }
}
