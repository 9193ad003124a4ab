using Hfpl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl;

public static partial class hfpl
{
    /// <summary>Zeroes the maps of classes absent from each image: <c>maps * labels[:, :, None, None]</c>.</summary>
    /// <param name="maps">Per-class maps <c>(B, K, h, w)</c>.</param>
    /// <param name="labels">Image-level labels <c>(B, K)</c> in {0, 1}.</param>
    /// <returns><c>(B, K, h, w)</c>, same dtype and device as <paramref name="maps"/>.</returns>
    public static Tensor mask_labels(Tensor maps, Tensor labels)
    {
        Check.Map(maps, 4, nameof(maps), "(B, K, h, w)");
        Check.Labels(labels, maps.shape[0], maps.shape[1], nameof(labels));
        using var scope = torch.NewDisposeScope();
        var mask = labels.to(maps.dtype, maps.device).unsqueeze(-1).unsqueeze(-1);
        return (maps * mask).MoveToOuterDisposeScope();
    }
}
