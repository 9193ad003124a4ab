using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Samples.Data;

/// <summary>
/// One image with its image-level labels and, where the dataset has one, its ground-truth mask, as every reader here
/// yields it.
/// </summary>
/// <remarks>
/// The constructor checks that a mask has the image's size and holds only class indices or the ignore index. The labels
/// come from an image-level labels file when the dataset has one (<paramref name="labelClasses"/> of the constructor),
/// else from the mask; an error names <see cref="MaskPath"/> (or the id). Weakly-supervised training needs only the labels;
/// scoring needs the mask (<see cref="HasMask"/>).
/// </remarks>
public sealed class SegmentationSample
{
    readonly IndexMask? mask;

    /// <summary>Builds a sample and derives its labels from <paramref name="mask"/>.</summary>
    /// <exception cref="InvalidDataException">A mask's size differs from the image's, or it holds a value that is neither a class nor void.</exception>
    public SegmentationSample(string id, RgbImage image, IndexMask mask, DatasetInfo info,
        IndexMask? preciseMask = null, string? imagePath = null, string? maskPath = null, string? preciseMaskPath = null)
        : this(id, image, mask ?? throw new ArgumentNullException(nameof(mask)), null, info, preciseMask, imagePath, maskPath, preciseMaskPath) { }

    /// <summary>Builds a sample whose labels are given (an image-level labels file), with or without a mask.</summary>
    /// <param name="id">The image name.</param>
    /// <param name="image">The RGB image.</param>
    /// <param name="mask">The ground truth, or null when the image has none.</param>
    /// <param name="labelClasses">Class indices the image is labelled with (object classes; background is implied), or null to derive
    /// them from <paramref name="mask"/>.</param>
    /// <param name="info">The dataset's classes.</param>
    /// <param name="preciseMask">A precise-boundary mask, or null.</param>
    /// <param name="imagePath">Where the image was read from.</param>
    /// <param name="maskPath">Where the mask was read from.</param>
    /// <param name="preciseMaskPath">Where the precise mask was read from.</param>
    /// <exception cref="InvalidDataException">A mask does not fit the image or holds a value that is no class, or a label is no label class.</exception>
    public SegmentationSample(string id, RgbImage image, IndexMask? mask, IReadOnlyCollection<int>? labelClasses, DatasetInfo info,
        IndexMask? preciseMask = null, string? imagePath = null, string? maskPath = null, string? preciseMaskPath = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(info);
        if (mask is null && labelClasses is null) throw new ArgumentException("A sample needs a mask or its image-level labels.", nameof(labelClasses));
        if (mask is not null) CheckMask(mask, image, info, maskPath ?? $"mask of '{id}'");
        if (preciseMask is not null) CheckMask(preciseMask, image, info, preciseMaskPath ?? $"precise mask of '{id}'");

        Id = id;
        Image = image;
        this.mask = mask;
        PreciseMask = preciseMask;
        Info = info;
        ImagePath = imagePath;
        MaskPath = maskPath;
        PreciseMaskPath = preciseMaskPath;

        var present = new bool[info.NumClasses];
        if (mask is not null)
            foreach (var v in mask.Values)
                if (v != info.IgnoreIndex) present[v] = true;
        PresentClasses = Enumerable.Range(0, info.NumClasses).Where(c => present[c]).ToArray();
        if (labelClasses is not null)
        {
            Array.Clear(present);
            foreach (var c in labelClasses)
            {
                if ((uint)c >= (uint)info.NumClasses || (info.HasBackground && c == 0))
                    throw new InvalidDataException($"image '{id}': label {c} is not an object class of {info.Name} (1..{info.NumClasses - 1}).");
                present[c] = true;
            }
            if (mask is null) PresentClasses = [.. info.HasBackground ? [0] : Array.Empty<int>(), .. Enumerable.Range(0, info.NumClasses).Where(c => present[c])];
        }
        var labels = new float[info.NumLabels];
        for (var k = 0; k < labels.Length; k++) labels[k] = present[info.LabelToClass(k)] ? 1f : 0f;
        Labels = labels;
    }

    /// <summary>The file name without extension (readers) or a generated id (synthetic data).</summary>
    public string Id { get; }

    /// <summary>The RGB image, (H, W, 3).</summary>
    public RgbImage Image { get; }

    /// <summary>Ground truth, (H, W): class indices and <see cref="DatasetInfo.IgnoreIndex"/> for void.</summary>
    /// <exception cref="InvalidOperationException">The image has no mask (<see cref="HasMask"/> is false).</exception>
    public IndexMask Mask => mask ?? throw new InvalidOperationException($"image '{Id}' has no mask (only image-level labels).");

    /// <summary>Whether the image has a ground-truth mask (images of a labels file may not).</summary>
    public bool HasMask => mask is not null;

    /// <summary>A precise-boundary ground truth where the dataset has one (MSRC <c>masks_hq/</c>), else null.</summary>
    public IndexMask? PreciseMask { get; }

    /// <summary>The dataset this sample belongs to.</summary>
    public DatasetInfo Info { get; }

    /// <summary>Where the image was read from; null for generated data.</summary>
    public string? ImagePath { get; }

    /// <summary>Where the mask was read from; null for generated data.</summary>
    public string? MaskPath { get; }

    /// <summary>Where the precise mask was read from, if there is one.</summary>
    public string? PreciseMaskPath { get; }

    /// <summary>Image width W.</summary>
    public int Width => Image.Width;

    /// <summary>Image height H.</summary>
    public int Height => Image.Height;

    /// <summary>Sorted class indices that occur in the mask (void excluded, background included if present); without a mask, the
    /// labelled classes (and background for data that has it).</summary>
    public IReadOnlyList<int> PresentClasses { get; }

    /// <summary>Image-level labels, length K = <see cref="DatasetInfo.NumLabels"/>: 1 where label class k occurs in the mask.</summary>
    public IReadOnlyList<float> Labels { get; }

    /// <summary>The image as float32 (3, H, W) in [0, 1] (RGB channel order).</summary>
    public Tensor ImageTensor(Device? device = null)
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.tensor(Image.Pixels, [Height, Width, 3])
            .permute(2, 0, 1)
            .to_type(ScalarType.Float32)
            .div_(255f)
            .contiguous();
        if (device is not null) t = t.to(device);
        return t.MoveToOuterDisposeScope();
    }

    /// <summary>The mask as int64 (H, W), void kept as <see cref="DatasetInfo.IgnoreIndex"/>.</summary>
    public Tensor MaskTensor(Device? device = null) => MaskToTensor(Mask, device);

    /// <summary>The precise mask as int64 (H, W), or null when there is none.</summary>
    public Tensor? PreciseMaskTensor(Device? device = null) => PreciseMask is null ? null : MaskToTensor(PreciseMask, device);

    /// <summary>The image-level labels as float32 (K).</summary>
    public Tensor LabelTensor(Device? device = null)
    {
        var t = torch.tensor(Labels.ToArray(), ScalarType.Float32);
        if (device is null) return t;
        using (t) return t.to(device);
    }

    private static Tensor MaskToTensor(IndexMask mask, Device? device)
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.tensor(mask.Values, [mask.Height, mask.Width]).to_type(ScalarType.Int64);
        if (device is not null) t = t.to(device);
        return t.MoveToOuterDisposeScope();
    }

    private static void CheckMask(IndexMask mask, RgbImage image, DatasetInfo info, string name)
    {
        if (mask.Width != image.Width || mask.Height != image.Height)
            throw new InvalidDataException(
                $"{name}: mask is {mask.Width}x{mask.Height} but its image is {image.Width}x{image.Height} (width x height).");
        foreach (var v in mask.Values)
            if (v >= info.NumClasses && v != info.IgnoreIndex)
                throw new InvalidDataException(
                    $"{name}: mask value {v} is neither a class index (0..{info.NumClasses - 1}) nor the ignore index {info.IgnoreIndex}.");
    }
}
