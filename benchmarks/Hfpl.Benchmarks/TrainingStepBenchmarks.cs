using BenchmarkDotNet.Attributes;
using Hfpl.Samples.Backbones;
using Hfpl.Samples.Baselines;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Hfpl.Benchmarks;

/// <summary>
/// One SGD step of the ImageNet-pretrained ResNet-18 CAM baseline at the samples' MSRC input (8 crops of 224, output
/// stride 16, a 14x14 CAM grid), without and with the Hfpl add-on: what the add-on costs a user per step.
/// </summary>
public class TrainingStepBenchmarks
{
    CamBaseline plain = null!, withAddOn = null!;
    SGD plainOptimizer = null!, addOnOptimizer = null!;
    Tensor images = null!, labels = null!;

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(0);
        plain = new CamBaseline(new ResNet18Backbone(16), 21);
        withAddOn = new CamBaseline(new ResNet18Backbone(16), 21, new HfplAddOn(seed: 0));
        plain.train();
        withAddOn.train();
        plainOptimizer = optim.SGD(plain.parameters().Where(p => p.requires_grad), 0.001, momentum: 0.9);
        addOnOptimizer = optim.SGD(withAddOn.parameters().Where(p => p.requires_grad), 0.001, momentum: 0.9);
        images = rand([8, 3, 224, 224]);
        labels = (rand([8, 21]) > 0.85).to(ScalarType.Float32);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        plain.Dispose(); withAddOn.Dispose(); plainOptimizer.Dispose(); addOnOptimizer.Dispose(); images.Dispose(); labels.Dispose();
    }

    static void Step(WsssBaseline model, SGD optimizer, Tensor images, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var terms = model.TrainingLosses(images, labels);
        optimizer.zero_grad();
        terms.Total().backward();
        optimizer.step();
    }

    [Benchmark(Baseline = true)] public void CamStep() => Step(plain, plainOptimizer, images, labels);
    [Benchmark] public void CamPlusPlusStep() => Step(withAddOn, addOnOptimizer, images, labels);
}
