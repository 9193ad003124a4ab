using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Samples.Data;

/// <summary>
/// Samples of one size stacked into tensors: images float32 (B, 3, H, W) in [0, 1], masks int64 (B, H, W)
/// with void as the ignore index, labels float32 (B, K). Owns its tensors: dispose it.
/// </summary>
public sealed class SegmentationBatch : IDisposable
{
    private SegmentationBatch(Tensor images, Tensor masks, Tensor labels, IReadOnlyList<string> ids)
    {
        Images = images;
        Masks = masks;
        Labels = labels;
        Ids = ids;
    }

    /// <summary>float32 (B, 3, H, W) in [0, 1].</summary>
    public Tensor Images { get; }

    /// <summary>int64 (B, H, W): class indices, void = ignore index.</summary>
    public Tensor Masks { get; }

    /// <summary>float32 (B, K) in {0, 1}.</summary>
    public Tensor Labels { get; }

    /// <summary>The sample ids in batch order.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>Stacks <paramref name="samples"/>, which must share image size and label count.</summary>
    public static SegmentationBatch Collate(IReadOnlyList<SegmentationSample> samples, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) throw new ArgumentException("samples must not be empty.", nameof(samples));
        int h = samples[0].Height, w = samples[0].Width, k = samples[0].Labels.Count, b = samples.Count;
        foreach (var s in samples)
            if (s.Height != h || s.Width != w || s.Labels.Count != k)
                throw new ArgumentException(
                    $"samples must share size and label count: '{samples[0].Id}' is {w}x{h} with K={k}, '{s.Id}' is {s.Width}x{s.Height} with K={s.Labels.Count}.",
                    nameof(samples));

        var pixels = new byte[(long)b * h * w * 3];
        var masks = new byte[(long)b * h * w];
        var labels = new float[b * k];
        for (var i = 0; i < b; i++)
        {
            samples[i].Image.Pixels.CopyTo(pixels, (long)i * h * w * 3);
            samples[i].Mask.Values.CopyTo(masks, (long)i * h * w);
            for (var j = 0; j < k; j++) labels[i * k + j] = samples[i].Labels[j];
        }

        using var scope = torch.NewDisposeScope();
        var images = torch.tensor(pixels, [b, h, w, 3]).permute(0, 3, 1, 2).to_type(ScalarType.Float32).div_(255f).contiguous();
        var maskTensor = torch.tensor(masks, [b, h, w]).to_type(ScalarType.Int64);
        var labelTensor = torch.tensor(labels, [b, k]);
        if (device is not null)
        {
            images = images.to(device);
            maskTensor = maskTensor.to(device);
            labelTensor = labelTensor.to(device);
        }
        return new SegmentationBatch(
            images.MoveToOuterDisposeScope(), maskTensor.MoveToOuterDisposeScope(), labelTensor.MoveToOuterDisposeScope(),
            samples.Select(s => s.Id).ToArray());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Masks.Dispose();
        Labels.Dispose();
    }
}
