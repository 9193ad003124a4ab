using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Sampling;

/// <summary>
/// Draws indices from the rows of an unnormalised probability mass table by inverting the cumulative sum.
/// Uniforms come from the caller's <see cref="Generator"/> on the generator's own device and are then moved
/// to the table's device, so a seeded CPU generator drives sampling on any device (TorchSharp's
/// <c>multinomial</c> rejects a CPU generator for CUDA tensors, dotnet/TorchSharp issue 1194).
/// </summary>
internal static class InverseCdfSampler
{
    /// <summary>Samples with replacement.</summary>
    /// <param name="mass">Non-negative masses <c>(R, N)</c> with a positive sum per row; need not be normalised.</param>
    /// <param name="samples">S, draws per row.</param>
    /// <param name="generator">Source of randomness, or null for TorchSharp's default generator.</param>
    /// <returns>Indices <c>(R, S)</c>, int64, in [0, N).</returns>
    public static Tensor Sample(Tensor mass, long samples, Generator? generator)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var rows = mass.shape[0];
        var n = mass.shape[1];
        // One fused draw for all rows; float64 keeps the cumulative sum exact enough for large grids.
        var cdf = mass.to(ScalarType.Float64).cumsum(1);
        var uniforms = Uniforms(rows, samples, generator, mass.device);
        var targets = uniforms * cdf[.., ^1..];
        // right=true: the first index whose cumulative mass exceeds the target, so index i has mass_i / total probability.
        var indices = torch.searchsorted(cdf, targets, right: true).clamp_max(n - 1);
        return indices.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The float64 uniforms <c>(R, S)</c> both samplers invert, drawn on the generator's own device (or with TorchSharp's
    /// default generator) and moved to <paramref name="device"/>.
    /// </summary>
    internal static Tensor Uniforms(long rows, long samples, Generator? generator, Device device) => generator is null
        ? torch.rand([rows, samples], ScalarType.Float64, device)
        : torch.rand([rows, samples], ScalarType.Float64, generator.device, generator: generator).to(device);
}
