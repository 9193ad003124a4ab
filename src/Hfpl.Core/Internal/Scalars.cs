using TorchSharp;

namespace Hfpl.Internal;

/// <summary>
/// The constant Scalars Hfpl's ops pass to libtorch, created once and held for the life of the process. TorchSharp 0.107.0
/// frees an implicitly converted Scalar (a number passed where a <see cref="Scalar"/> is expected, and the alpha that
/// <c>Tensor.add</c> makes when none is given) in its finaliser, which may run while libtorch still reads the raw handle: under
/// garbage-collection pressure a four-scale inference read a freed one ("Expected false to be true", from Scalar::toFloat in
/// masked_fill) after hundreds of calls. Ops therefore pass these constants, or a <c>using var</c> Scalar for any other value,
/// and give <c>add</c> its alpha.
/// </summary>
internal static class Scalars
{
    // An explicit static constructor: the fields are created at first use (after libtorch has loaded), not earlier.
    static Scalars() { }

    /// <summary>The integer 0.</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>The integer 1 (also the alpha of every <c>add</c>).</summary>
    public static readonly Scalar One = 1.ToScalar();
}
