using static TorchSharp.torch;

namespace Hfpl.Samples.Backbones;

/// <summary>
/// Turns images into what <see cref="ResNet18"/> expects: channels in BGR order, 0-255 scale, minus the
/// per-channel ImageNet mean (Caffe/CNTK convention; no division by a standard deviation).
/// </summary>
/// <remarks>
/// ML.NET feeds the model through ResNetPreprocess.onnx (same package), which reorders RGB to BGR and
/// subtracts a 224x224 mean <i>image</i>. That image only fits 224x224 inputs, so this uses its spatial
/// average per channel, the usual choice for crops of any size. The mean image departs from these values by
/// up to about 13 grey levels near its borders, so at 224x224 the result differs slightly from ML.NET's.
/// </remarks>
public static class ResNet18Input
{
    /// <summary>Mean of the blue channel on the 0-255 scale (spatial average of ML.NET's mean image).</summary>
    public const double MeanBlue = 103.062624;

    /// <summary>Mean of the green channel on the 0-255 scale.</summary>
    public const double MeanGreen = 115.902882;

    /// <summary>Mean of the red channel on the 0-255 scale.</summary>
    public const double MeanRed = 123.151631;

    /// <summary>Maps an RGB image batch in [0, 1] to the network input: BGR * 255 - (<see cref="MeanBlue"/>, <see cref="MeanGreen"/>, <see cref="MeanRed"/>).</summary>
    /// <param name="rgb">(B, 3, H, W) float32 or float64, channels R, G, B, values in [0, 1].</param>
    /// <returns>(B, 3, H, W) of the same dtype and device, channels B, G, R.</returns>
    public static Tensor FromRgb(Tensor rgb)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.dim() != 4 || rgb.shape[1] != 3)
            throw new ArgumentException($"rgb must have shape (B, 3, H, W), got [{string.Join(", ", rgb.shape)}].", nameof(rgb));
        if (rgb.dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"rgb must be float32 or float64, got {rgb.dtype}.", nameof(rgb));

        using var scope = NewDisposeScope();
        var mean = tensor(new[] { MeanBlue, MeanGreen, MeanRed }, dtype: rgb.dtype, device: rgb.device).view(1, 3, 1, 1);
        return rgb.flip(1).mul(255.0).sub_(mean).MoveToOuterDisposeScope();
    }
}
