using System.CommandLine;
using Hfpl.Cli;
using Hfpl.Cli.Options;

namespace Hfpl.Samples.Tests.Cli;

/// <summary>The baselines' own defaults: the reference's on the built-in data, the second view that follows the crop on photographs.</summary>
public sealed class TrainingOptionSetTests
{
    static double ViewScale(bool synthetic, int crop, params string[] args) => ViewScaleFor(["seam"], synthetic, crop, args);

    static double ViewScaleFor(string[] baselines, bool synthetic, int crop, params string[] args)
    {
        var (options, result) = Parse(args);
        return options.Baseline(result, synthetic, crop, baselines, "train").SeamViewScale;
    }

    static int Steps(string baseline, bool synthetic, params string[] args)
    {
        var (options, result) = Parse(args);
        return options.Resolve(result, synthetic, "train", baseline).Steps;
    }

    static (TrainingOptionSet Options, ParseResult Result) Parse(string[] args)
    {
        var options = new TrainingOptionSet();
        var command = new RootCommand();
        foreach (var option in options.All) command.Options.Add(option);
        var result = command.Parse(args);
        Assert.Empty(result.Errors);
        return (options, result);
    }

    [Fact]
    public void Gradient_clipping_on_photographs_is_the_baselines_own_and_off_on_built_in_data_unless_given()
    {
        double? Clip(string baseline, bool synthetic, params string[] args)
        {
            var (options, result) = Parse(args);
            return options.Resolve(result, synthetic, "train", baseline).MaxGradientNorm;
        }
        // CAM clips at 10 on photographs (it keeps CAM++'s maps alive at FSL weight 2, samples/README.md, Session 20); SEAM was measured unclipped.
        Assert.Equal((10.0, (double?)null), (Clip("cam", false), Clip("seam", false)));
        Assert.Null(Clip("cam", true));
        Assert.Equal((2.5, 0.5), (Clip("seam", false, "--clip-grad-norm", "2.5"), Clip("cam", true, "--clip-grad-norm", "0.5")));
        Assert.Null(Clip("cam", false, "--clip-grad-norm", "none"));
        foreach (var bad in new[] { "0", "-1", "off", "NaN" })
        {
            var error = Assert.Throws<UsageException>(() => Clip("cam", false, "--clip-grad-norm", bad));
            Assert.Equal($"train: --clip-grad-norm must be a positive number or 'none', got '{bad}'", error.Message);
        }
    }

    [Fact]
    public void A_second_view_under_16_pixels_is_a_usage_error()
    {
        var error = Assert.Throws<UsageException>(() => ViewScale(false, 224, "--seam-view-scale", "0.05"));
        Assert.Contains("--seam-view-scale 0.05 makes SEAM's second view 11 pixels of a 224-pixel crop; it needs at least 16", error.Message);
    }

    [Fact]
    public void Seam_view_scale_is_the_references_on_built_in_data_and_follows_the_crop_on_photographs()
    {
        Assert.Equal(0.3, ViewScale(synthetic: true, crop: 96));
        Assert.Equal(0.6, ViewScale(synthetic: false, crop: 224));
        Assert.Equal(0.3, ViewScale(synthetic: false, crop: 448));
        Assert.Equal(0.6, ViewScale(synthetic: true, crop: 224, "--seam-view-scale", "crop"));
        Assert.Equal(0.45, ViewScale(synthetic: false, crop: 224, "--seam-view-scale", "0.45"));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("wide")]
    public void A_bad_seam_view_scale_is_a_usage_error_naming_the_option(string text)
    {
        var error = Assert.Throws<UsageException>(() => ViewScale(false, 224, "--seam-view-scale", text));
        Assert.Contains($"--seam-view-scale must be 'crop' or a number in (0, 1), got '{text}'", error.Message);
    }

    [Fact]
    public void A_seam_view_scale_is_refused_unless_a_baseline_that_reads_it_is_trained()
    {
        var error = Assert.Throws<UsageException>(() => ViewScaleFor(["cam"], false, 224, "--seam-view-scale", "0.5"));
        Assert.Equal("train: --seam-view-scale applies to --baseline seam, not cam", error.Message);
        Assert.Equal(0.5, ViewScaleFor(["cam", "seam"], false, 224, "--seam-view-scale", "0.5"));
        Assert.Equal(0.6, ViewScaleFor(["cam"], false, 224)); // not given: the default, whatever is trained
    }

    [Fact]
    public void On_photographs_each_baseline_trains_its_own_length_unless_steps_is_given()
    {
        // SEAM's gain from the add-on held at 1200 steps on every seed; CAM's is largest at 600 (samples/README.md, Summary).
        Assert.Equal((600, 1200), (Steps("cam", false), Steps("seam", false)));
        Assert.Equal((300, 300), (Steps("cam", true), Steps("seam", true)));
        Assert.Equal(50, Steps("seam", false, "--steps", "50"));
    }
}
