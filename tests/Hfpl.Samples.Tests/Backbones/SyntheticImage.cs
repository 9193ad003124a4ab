namespace Hfpl.Samples.Tests.Backbones;

/// <summary>Deterministic test images with smooth gradients, stripes and a sharp-edged square, so every layer sees structure.</summary>
internal static class SyntheticImage
{
    /// <summary>(B, 3, H, W) float32 RGB in [0, 1]; image b is shifted by b so the batch entries differ.</summary>
    public static Tensor Rgb(int batch, int height, int width)
    {
        var values = new float[batch * 3 * height * width];
        var i = 0;
        for (var b = 0; b < batch; b++)
        for (var c = 0; c < 3; c++)
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var u = (x + 7.0 * b) / width;
            var v = (double)y / height;
            var square = Math.Abs(u - 0.6) < 0.15 && Math.Abs(v - 0.35) < 0.2 ? 1.0 : 0.0;
            var value = c switch
            {
                0 => 0.2 + 0.6 * u + 0.2 * square,
                1 => 0.5 + 0.4 * Math.Sin(12 * u + 5 * v) * (1 - square),
                _ => 0.1 + 0.7 * v * v + 0.2 * ((x / 8 + y / 8) % 2),
            };
            values[i++] = (float)Math.Clamp(value, 0, 1);
        }
        return tensor(values, [batch, 3, height, width]);
    }
}
