using Hfpl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl;

// CAM max-normalisation of docs/method.md section 2 (from the authors' reference code).
public static partial class hfpl
{
    /// <summary>
    /// Min-max normalises each image's CAM channel to [0, 1]:
    /// <c>maxnorm(t) = relu(relu(t) - min - 1e-5) / (max - min + 1e-5)</c>, with min and max of <c>relu(t)</c> taken
    /// over the grid per image and channel. The 1e-5 inside the outer relu is the reference code's: cells within 1e-5 of
    /// the minimum map to exactly 0, and the maximum to <c>(max - min - 1e-5) / (max - min + 1e-5)</c>, just below 1.
    /// Not detached: with <see cref="MaxNormGradient.Exact"/> the gradient flows through min and max too. A channel with no
    /// positive value maps to zeros.
    /// </summary>
    /// <param name="cams">CAM logits or scores <c>(B, C, h, w)</c>.</param>
    /// <param name="gradient">The formula's own derivative (default) or the straight-through one (<see cref="MaxNormGradient"/>);
    /// the value is the same.</param>
    /// <returns><c>(B, C, h, w)</c> in [0, 1), same dtype and device.</returns>
    public static Tensor max_norm(Tensor cams, MaxNormGradient gradient = MaxNormGradient.Exact)
    {
        Check.Map(cams, 4, nameof(cams), "(B, C, h, w)");
        using var scope = torch.NewDisposeScope();
        var positive = torch.nn.functional.relu(cams);
        var flat = positive.flatten(2);
        var min = flat.amin([2], keepdim: true).unsqueeze(-1);
        var max = flat.amax([2], keepdim: true).unsqueeze(-1);
        using var epsilon = 1e-5.ToScalar(); // no implicit Scalars: see Scalars
        var range = (max - min).add(epsilon, Scalars.One);
        var result = torch.nn.functional.relu((positive - min).sub(epsilon)) / range;
        if (gradient == MaxNormGradient.StraightThrough)
        {
            // value unchanged; d/dcams = 1 / (max - min + 1e-5) of the raw logits in every cell. The raw range is never
            // smaller than the relu'd one and stays bounded for a map with no positive cell (whose relu range is 0).
            var raw = cams.detach().flatten(2);
            var rawRange = (raw.amax([2], keepdim: true) - raw.amin([2], keepdim: true)).unsqueeze(-1).add(epsilon, Scalars.One);
            result = result.detach() + (cams - cams.detach()) / rawRange;
        }
        else if (gradient != MaxNormGradient.Exact)
            throw new ArgumentOutOfRangeException(nameof(gradient), gradient, "gradient must be Exact or StraightThrough.");
        return result.MoveToOuterDisposeScope();
    }
}
