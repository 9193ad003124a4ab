using static TorchSharp.torch;

namespace Hfpl.Samples.Backbones;

/// <summary>
/// The feature maps of every ResNet-18 stage for one input of shape (B, 3, H, W). Disposing this disposes
/// all five maps. Grids use ceil division: h(s) = ceil(H / s).
/// </summary>
public sealed class ResNet18Features : IDisposable
{
    /// <summary>Creates the set; it takes ownership of the tensors.</summary>
    public ResNet18Features(Tensor stem, Tensor layer1, Tensor layer2, Tensor layer3, Tensor layer4)
    {
        Stem = stem;
        Layer1 = layer1;
        Layer2 = layer2;
        Layer3 = layer3;
        Layer4 = layer4;
    }

    /// <summary>conv1-bn1-relu, before the max pool: (B, 64, H/2, W/2).</summary>
    public Tensor Stem { get; }

    /// <summary>(B, 64, H/4, W/4).</summary>
    public Tensor Layer1 { get; }

    /// <summary>(B, 128, H/8, W/8).</summary>
    public Tensor Layer2 { get; }

    /// <summary>(B, 256, H/16, W/16), or H/8 at output stride 8.</summary>
    public Tensor Layer3 { get; }

    /// <summary>(B, 512, H/os, W/os) with os the model's output stride; what <see cref="ResNet18.forward"/> returns.</summary>
    public Tensor Layer4 { get; }

    /// <summary>The five maps from the stem to the last stage.</summary>
    public IReadOnlyList<Tensor> All => [Stem, Layer1, Layer2, Layer3, Layer4];

    /// <summary>Disposes the five maps.</summary>
    public void Dispose()
    {
        foreach (var t in All) t.Dispose();
    }
}
