using Hfpl.Samples.Baselines;
using Hfpl.Samples.Experiments;
using Hfpl.Samples.Training;

namespace Hfpl.Samples.Tests.Experiments;

/// <summary>Per-baseline settings: a baseline listed in the per-baseline maps trains with its own, the others with the shared ones.</summary>
public sealed class ComparisonSettingsTests
{
    [Fact]
    public void A_baseline_gets_its_own_settings_or_else_the_shared_ones()
    {
        var settings = new ComparisonSettings
        {
            Baselines = ["cam", "seam"],
            Training = new TrainingOptions { Steps = 600 },
            AddOn = new AddOnSettings(FslWeight: 1),
            TrainingPerBaseline = new Dictionary<string, TrainingOptions> { ["seam"] = new() { Steps = 1200 } },
            AddOnPerBaseline = new Dictionary<string, AddOnSettings> { ["cam"] = new(FslWeight: 2) },
        };
        Assert.Equal((600, 1200), (settings.TrainingFor("cam").Steps, settings.TrainingFor("seam").Steps));
        Assert.Equal((2.0, 1.0), (settings.AddOnFor("cam").FslWeight, settings.AddOnFor("seam").FslWeight));
    }
}
