using BenchmarkDotNet.Attributes;
using Hfpl.Losses;
using Hfpl.Samples.Backbones;
using Hfpl.Samples.Baselines;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Hfpl.Benchmarks;

/// <summary>
/// One SGD step of the ImageNet-pretrained ResNet-18 CAM baseline on 8 random crops of 224, without and with an add-on:
/// what the add-on costs a user per step. Subclasses choose the backbone's output stride, the classes and the add-on.
/// </summary>
public abstract class CamStepBenchmarks
{
    CamBaseline plain = null!, withAddOn = null!;
    SGD plainOptimizer = null!, addOnOptimizer = null!;
    Tensor images = null!, labels = null!;

    /// <summary>The backbone's output stride.</summary>
    protected abstract int Stride { get; }

    /// <summary>K, foreground classes.</summary>
    protected abstract int Classes { get; }

    /// <summary>The add-on of the "++" step.</summary>
    protected abstract HfplAddOn CreateAddOn();

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(0);
        plain = new CamBaseline(new ResNet18Backbone(Stride), Classes);
        withAddOn = new CamBaseline(new ResNet18Backbone(Stride), Classes, CreateAddOn());
        plain.train();
        withAddOn.train();
        plainOptimizer = optim.SGD(plain.parameters().Where(p => p.requires_grad), 0.001, momentum: 0.9);
        addOnOptimizer = optim.SGD(withAddOn.parameters().Where(p => p.requires_grad), 0.001, momentum: 0.9);
        images = rand([8, 3, 224, 224]);
        labels = (rand([8, Classes]) > 0.85).to(ScalarType.Float32);
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

/// <summary>
/// The samples' first MSRC setting: output stride 16 (a 14x14 CAM grid), 21 classes, the add-on with the paper's defaults
/// (importance sampling λ 0.2, exact FSL σ 5 on the logits' grid).
/// </summary>
public class TrainingStepBenchmarks : CamStepBenchmarks
{
    protected override int Stride => 16;
    protected override int Classes => 21;
    protected override HfplAddOn CreateAddOn() => new(seed: 0);
}

/// <summary>
/// What the paper's 8-pixel cells cost: output stride 16 (14x14) against output stride 8 (28x28, the last two stages
/// dilated), 15 object classes, the add-on as `hfpl train --addon` sets it on photographs (λ 0; FSL σ 40 px on 8-pixel
/// cells: grid factor 2 at stride 16, 1 at stride 8).
/// </summary>
public class OutputStrideBenchmarks : CamStepBenchmarks
{
    /// <summary>The backbone's output stride.</summary>
    [Params(16, 8)] public int OutputStride { get; set; }

    protected override int Stride => OutputStride;
    protected override int Classes => 15;

    protected override HfplAddOn CreateAddOn()
    {
        var factor = Math.Max(1, OutputStride / 8);
        return new HfplAddOn(lambda: 0, sigma: losses.sigma_in_cells(40, OutputStride, factor), seed: 0, gridFactor: factor);
    }
}
