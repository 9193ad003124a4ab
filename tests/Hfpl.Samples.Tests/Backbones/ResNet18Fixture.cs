using Hfpl.Samples.Backbones;

namespace Hfpl.Samples.Tests.Backbones;

/// <summary>Loads the pretrained ResNet-18 once for every test class in the "ResNet18" collection.</summary>
public sealed class ResNet18Fixture : IDisposable
{
    public ResNet18Fixture()
    {
        OnnxPath = ResNet18Weights.DefaultOnnxPath();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Model = ResNet18.Pretrained(onnxPath: OnnxPath);
        LoadTime = clock.Elapsed;
    }

    public string OnnxPath { get; }

    /// <summary>The ImageNet model at output stride 32, in evaluation mode. Tests must not change it.</summary>
    public ResNet18 Model { get; }

    public TimeSpan LoadTime { get; }

    public void Dispose() => Model.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ResNet18Collection : ICollectionFixture<ResNet18Fixture>
{
    public const string Name = "ResNet18";
}
