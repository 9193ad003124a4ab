using Hfpl.Losses;
using Hfpl.Samples.Baselines;
using Hfpl.Samples.Experiments;

namespace Hfpl.Samples.Tests.Experiments;

public class ModelSpecTests
{
    [Fact]
    public void Add_on_settings_survive_the_json_next_to_the_checkpoint()
    {
        var folder = Directory.CreateTempSubdirectory("hfpl-spec-").FullName;
        try
        {
            var checkpoint = Path.Combine(folder, "model.bin");
            var spec = new ModelSpec("cam", AddOn: true, "small", 8, 5, Seed: 3,
                new AddOnSettings(Lambda: 0.5, FslWeight: 0.3, Sigma: 1.25, WindowRadius: 4, Features: FeatureResize.Area));
            spec.Save(checkpoint);
            Assert.Equal(spec, ModelSpec.Load(checkpoint));
            var paper = new ModelSpec("cam", AddOn: true, "small", 8, 5, Seed: 3);
            paper.Save(checkpoint);
            Assert.Null(ModelSpec.Load(checkpoint).AddOnSettings);
            Assert.Equal("lambda 0.5, FSL weight 0.3, sigma 1.25, window 4, area features", spec.AddOnSettings!.ToString());
            Assert.Equal("lambda 0.2, FSL weight 1, sigma 5", new AddOnSettings().ToString());
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
