using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Hfpl.Samples.Baselines;

/// <summary>
/// SEAM's pixel correlation module (Wang et al., CVPR 2020; docs/method.md section 3.2): an affinity between every pair of CAM-grid
/// cells from low-level features, used to refine normalised CAMs. Features: the image resized to the grid, and two
/// detached middle backbone maps projected to 64 and 128 channels; a 1x1 projection to 192 channels (Xavier, gain 4),
/// L2-normalised per cell; <c>A = relu(g^T g)</c>, each column divided by its sum. One <c>hw x hw</c> matrix per image.
/// </summary>
public sealed class PixelCorrelationModule : Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    readonly Conv2d project1, project2, embed;

    /// <summary>Creates the module for middle maps of the given channel counts.</summary>
    public PixelCorrelationModule(int middle1Channels, int middle2Channels) : base(nameof(PixelCorrelationModule))
    {
        project1 = Conv2d(middle1Channels, 64, 1, bias: false);
        project2 = Conv2d(middle2Channels, 128, 1, bias: false);
        embed = Conv2d(3 + 64 + 128, 192, 1, bias: false);
        init.kaiming_normal_(project1.weight!);
        init.kaiming_normal_(project2.weight!);
        init.xavier_uniform_(embed.weight!, gain: 4);
        RegisterComponents();
    }

    /// <summary>
    /// The column-normalised affinity <c>(B, hw, hw)</c>: <c>A_ij = relu(g_i . g_j) / sum_i relu(g_i . g_j)</c>.
    /// </summary>
    /// <param name="image">RGB in [0, 1] <c>(B, 3, H, W)</c>.</param>
    /// <param name="middle1">A middle backbone map (detached here).</param>
    /// <param name="middle2">Another middle backbone map (detached here).</param>
    /// <param name="grid">Any tensor <c>(B, *, h, w)</c> on the CAM grid (its size is read).</param>
    public override Tensor forward(Tensor image, Tensor middle1, Tensor middle2, Tensor grid)
    {
        using var scope = NewDisposeScope();
        var (h, w) = (grid.shape[2], grid.shape[3]);
        Tensor Resize(Tensor t) => t.shape[2] == h && t.shape[3] == w ? t
            : functional.interpolate(t, [h, w], mode: InterpolationMode.Bilinear, align_corners: true);
        var features = cat([
            Resize(image),
            functional.relu(project1.call(Resize(middle1.detach()))),
            functional.relu(project2.call(Resize(middle2.detach()))),
        ], 1);
        var g = embed.call(features).flatten(2);                              // (B, 192, hw)
        g = g / (g.norm(1, keepdim: true) + 1e-5);
        return NormaliseColumns(functional.relu(g.transpose(1, 2).bmm(g))).MoveToOuterDisposeScope();
    }

    /// <summary>Divides each column of <c>(B, n, n)</c> by its sum (+1e-5), as SEAM does.</summary>
    public static Tensor NormaliseColumns(Tensor affinity) => affinity / (affinity.sum(1, keepdim: true) + 1e-5);

    /// <summary>Refines CAMs with the affinity: <c>cam_rv = cam A</c>, <c>(B, C, h, w)</c>.</summary>
    public static Tensor Refine(Tensor cams, Tensor affinity)
    {
        using var scope = NewDisposeScope();
        var flat = cams.flatten(2).bmm(affinity);
        return flat.view(cams.shape).MoveToOuterDisposeScope();
    }
}
