using System.Numerics;

namespace Hfpl.Losses.FeatureSimilarity;

/// <summary>
/// The colour-edge weight of docs/method.md section 2 for the fused CPU kernels, on SIMD lanes and on scalars: the feature
/// distance (px = 1 or 2) is accumulated channel by channel, then divided, clamped and mapped to
/// <c>w = tanh(mu + log(a / b)) = 1 - 2 / (e^(2 mu) (a / b)^2 + 1)</c> with <c>a = d_x + 1e-5</c>,
/// <c>b = 1 - d_x + 1e-5</c>: a rational function, no transcendental per pair. <see cref="ColourEdgeWeight"/> is the
/// tensor form of the same formula; both are tested against the literal one.
/// </summary>
internal readonly struct EdgeWeightLanes<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly T tanhScale, inverseDivisor, eps, onePlusTwoEps;
    readonly bool squared;

    /// <param name="divisor">What the px-norm of a feature difference is divided by.</param>
    /// <param name="p">mu and px (1 or 2).</param>
    public EdgeWeightLanes(double divisor, in FeatureSimilarityParameters p)
    {
        tanhScale = T.CreateChecked(p.TanhScale);
        inverseDivisor = T.CreateChecked(1 / divisor);
        eps = T.CreateChecked(FeatureSimilarityParameters.DistanceEpsilon);
        onePlusTwoEps = T.CreateChecked(1 + 2 * FeatureSimilarityParameters.DistanceEpsilon);
        squared = p.Px == 2;
    }

    /// <summary>Adds one channel's difference to a running distance: <c>|d|</c> (px 1) or <c>d^2</c> (px 2).</summary>
    public Vector<T> Accumulate(Vector<T> sum, Vector<T> difference) => squared ? sum + difference * difference : sum + Vector.Abs(difference);

    /// <inheritdoc cref="Accumulate(Vector{T}, Vector{T})"/>
    public T Accumulate(T sum, T difference) => squared ? sum + difference * difference : sum + T.Abs(difference);

    /// <summary>The weight w for accumulated distances.</summary>
    public Vector<T> Weight(Vector<T> sum)
    {
        var distance = squared ? Vector.SquareRoot(sum) : sum;
        var a = Vector.Min(distance * inverseDivisor, Vector<T>.One) + new Vector<T>(eps);
        var ratio = a / (new Vector<T>(onePlusTwoEps) - a);
        return Vector<T>.One - new Vector<T>(T.CreateChecked(2)) / (ratio * ratio * tanhScale + Vector<T>.One);
    }

    /// <inheritdoc cref="Weight(Vector{T})"/>
    public T Weight(T sum)
    {
        var distance = squared ? T.Sqrt(sum) : sum;
        var a = T.Min(distance * inverseDivisor, T.One) + eps;
        var ratio = a / (onePlusTwoEps - a);
        return T.One - T.CreateChecked(2) / (ratio * ratio * tanhScale + T.One);
    }
}
