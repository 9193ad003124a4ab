using Hfpl.Samples.Data;
using Hfpl.Samples.Experiments;
using Hfpl.Samples.Training;
using static TorchSharp.torch;

namespace Hfpl.Samples.Tests.Training;

/// <summary><see cref="TrainingOptions.MaxGradientNorm"/>: what it clips, by how much, and that it changes nothing when no step is longer.</summary>
public sealed class GradientClippingTests
{
    static readonly IReadOnlyList<SegmentationSample> Data =
        new SyntheticDataset(new SyntheticOptions { Seed = 1, Count = 6, Width = 40, Height = 40 }).ToList();

    /// <summary>Trains CAM++ on the synthetic images; returns the report and every parameter before and after, flattened.</summary>
    static (TrainingReport Report, Tensor Before, Tensor After) Train(double? maxNorm, int steps = 3)
    {
        var spec = new ModelSpec("cam", AddOn: true, "small", 8, 5, Seed: 5);
        manual_seed(5);
        using var model = spec.Create();
        Tensor Flat() => cat(model.parameters().Select(p => p.detach().flatten()).ToArray()).clone();
        var before = Flat();
        // No weight decay: the first SGD step then moves each parameter by its group's rate times its (clipped) gradient.
        var report = Trainer.Train(model, Data, new TrainingOptions
        {
            Steps = steps, BatchSize = 2, CropSize = 40, Seed = 5, WeightDecay = 0, MaxGradientNorm = maxNorm,
        });
        return (report, before, Flat());
    }

    [Fact]
    public void A_tiny_norm_clips_every_step_and_bounds_the_first_update_by_rate_times_norm()
    {
        const double maxNorm = 1e-4;
        var (report, before, after) = Train(maxNorm, steps: 1);
        Assert.Equal(1, report.ClippedSteps);
        var options = new TrainingOptions();
        // The largest rate is the new layers' (10x the base rate); the poly factor of step 0 is 1.
        var bound = options.LearningRate * options.NewLayerFactor * maxNorm;
        var moved = (after - before).norm().item<float>();
        Assert.True(moved > 0, "the clipped step did not move the parameters");
        Assert.True(moved <= bound * 1.001, $"the first update moved the parameters by {moved:G4}, more than rate x norm = {bound:G4}");

        var (unclipped, before2, after2) = Train(null, steps: 1);
        Assert.Equal(0, unclipped.ClippedSteps);
        Assert.True((after2 - before2).norm().item<float>() > 100 * moved, "without clipping the first step should move far more");
    }

    [Fact]
    public void A_norm_longer_than_every_gradient_leaves_training_exactly_as_without()
    {
        var (clipped, _, withBound) = Train(1e9);
        var (_, _, without) = Train(null);
        Assert.Equal(0, clipped.ClippedSteps);
        Assert.True(withBound.eq(without).all().item<bool>(), "a bound no step reaches changed the weights");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void A_norm_that_is_not_positive_is_refused(double maxNorm) =>
        Assert.Contains(new TrainingOptions { MaxGradientNorm = maxNorm }.Validate(), e => e.Contains("max gradient norm must be positive"));
}
