using Hfpl.Samples.Backbones;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Hfpl.Samples.Baselines;

/// <summary>
/// SEAM (Wang, Zhang, Kan, Shan, Chen, "Self-supervised Equivariant Attention Mechanism for Weakly Supervised
/// Semantic Segmentation", CVPR 2020) as docs/method.md section 3.2 specifies it: a CAM head with a background channel, the pixel
/// correlation module, and a two-view step (1.0x and, in the reference, 0.3x: <see cref="SecondViewScale"/>) with equivariant regularisation, equivariant cross
/// regularisation and the adaptive min-pooling loss. SEAM++ adds <see cref="HfplAddOn"/> to view 1 only (docs/method.md section 3.2, step
/// 7): its classification loss becomes <c>0.8 L_GAP + 0.2 L_IS</c> on the grid logits, plus <c>1.0 L_FS</c> on the logits or, with
/// <see cref="HfplAddOn.FslOnRefinedMaps"/>, on the PCM-refined maps that inference reads (the gradient then reaches the PCM only).
/// Inference reads the PCM-refined CAMs.
/// </summary>
public sealed class SeamBaseline : WsssBaseline
{
    /// <summary>The reference's second view scale, 0.3, at its 448-pixel crop.</summary>
    public const double ReferenceViewScale = 0.3;

    /// <summary>The reference's training crop in pixels.</summary>
    public const int ReferenceCrop = 448;

    /// <summary>The largest scale <see cref="ViewScaleForCrop"/> gives, so that the two views always differ in scale.</summary>
    public const double LargestViewScale = 0.75;

    /// <summary>
    /// The second view scale that keeps the reference's second view of <c>0.3 x 448 = 134</c> pixels at a <paramref name="crop"/>-pixel
    /// crop: 0.3 at 448, 0.6 at 224, never below 0.3 nor above <see cref="LargestViewScale"/>. At a small crop the reference's 0.3 leaves
    /// the second view a few grid cells wide (5x5 at crop 224 and stride 16), where equivariant regularisation on max-normalised maps
    /// is met by flat maps (samples/README.md).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="crop"/> is not positive.</exception>
    public static double ViewScaleForCrop(int crop)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(crop);
        return Math.Round(Math.Clamp(ReferenceViewScale * ReferenceCrop / crop, ReferenceViewScale, LargestViewScale), 3);
    }

    /// <summary>The scale of the second view, in (0, 1).</summary>
    public double SecondViewScale { get; }

    readonly Dropout2d dropout;
    readonly Conv2d classifier;
    readonly PixelCorrelationModule pcm;

    /// <summary>Creates SEAM (or SEAM++ with an add-on) for K foreground classes; the head has K + 1 channels, 0 is background.</summary>
    /// <param name="backbone">The feature extractor.</param>
    /// <param name="classes">K, foreground classes.</param>
    /// <param name="addOn">The "++" add-on, or null for SEAM.</param>
    /// <param name="secondViewScale">The scale of the second view, in (0, 1); the reference's 0.3 by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="secondViewScale"/> is not in (0, 1).</exception>
    public SeamBaseline(Backbone backbone, int classes, HfplAddOn? addOn = null, double secondViewScale = ReferenceViewScale)
        : base(nameof(SeamBaseline), backbone, classes, addOn)
    {
        if (secondViewScale is not (> 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(secondViewScale), secondViewScale, "The second view scale must be in (0, 1).");
        SecondViewScale = secondViewScale;
        dropout = Dropout2d(0.5);
        classifier = Conv2d(backbone.FeatureChannels, classes + 1, 1, bias: false);
        init.xavier_uniform_(classifier.weight!);
        var (m1, m2) = backbone.MiddleChannels;
        pcm = new PixelCorrelationModule(m1, m2);
        RegisterComponents();
    }

    /// <summary>One view through the network.</summary>
    /// <param name="Logits">CAM logits on the grid <c>(B, K + 1, h, w)</c>.</param>
    /// <param name="Cam">The logits upsampled to the input (align_corners), <c>(B, K + 1, H, W)</c>.</param>
    /// <param name="Refined">PCM-refined normalised CAM upsampled to the input, <c>(B, K + 1, H, W)</c>.</param>
    /// <param name="RefinedGrid">The PCM-refined normalised CAM on the grid, <c>(B, K + 1, h, w)</c>.</param>
    public sealed record View(Tensor Logits, Tensor Cam, Tensor Refined, Tensor RefinedGrid);

    /// <summary>Runs one view.</summary>
    /// <param name="images">RGB in [0, 1] <c>(B, 3, H, W)</c>.</param>
    public View Forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var (features, middle1, middle2) = Backbone.forward_with_middle(images);
        var logits = classifier.call(dropout.call(features));
        var size = new[] { images.shape[2], images.shape[3] };
        var cam = functional.interpolate(logits, size, mode: InterpolationMode.Bilinear, align_corners: true);
        var affinity = pcm.call(images, middle1, middle2, logits);
        var refined = PixelCorrelationModule.Refine(SeamLosses.NormalisedCam(logits), affinity);
        var refinedUp = functional.interpolate(refined, size, mode: InterpolationMode.Bilinear, align_corners: true);
        return new View(logits.MoveToOuterDisposeScope(), cam.MoveToOuterDisposeScope(), refinedUp.MoveToOuterDisposeScope(), refined.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public override LossTerms TrainingLosses(Tensor images, Tensor labels, Tensor? valid = null)
    {
        using var scope = NewDisposeScope();
        var b = images.shape[0];
        var label = cat([ones(b, 1, dtype: labels.dtype, device: labels.device), labels], 1).view(b, -1, 1, 1);
        var secondSize = new[] { (long)(images.shape[2] * SecondViewScale), (long)(images.shape[3] * SecondViewScale) };
        if (secondSize.Min() < 1)
            throw new ArgumentException($"Images of {images.shape[2]}x{images.shape[3]} pixels leave no second view at scale {SecondViewScale}.", nameof(images));
        var second = functional.interpolate(images, secondSize, mode: InterpolationMode.Bilinear, align_corners: true);
        var v1 = Forward(images);
        var v2 = Forward(second);

        var gap1 = v1.Cam.mean([2, 3])[.., 1..];
        var gap2 = v2.Cam.mean([2, 3])[.., 1..];
        var cls2 = functional.multilabel_soft_margin_loss(gap2, labels);
        var minPool1 = SeamLosses.MinPoolingLoss((v1.Refined * label)[.., 1..]);
        var minPool2 = SeamLosses.MinPoolingLoss((v2.Refined * label)[.., 1..]);

        // Normalised views on the small view's grid; background replaced by 1 - max fg.
        var small = new[] { v2.Cam.shape[2], v2.Cam.shape[3] };
        Tensor Shrink(Tensor t) => functional.interpolate(t, small, mode: InterpolationMode.Bilinear, align_corners: true);
        var cam1 = SeamLosses.WithBackground(Shrink(hfpl.max_norm(v1.Cam)) * label);
        var rv1 = SeamLosses.WithBackground(Shrink(hfpl.max_norm(v1.Refined)) * label);
        var cam2 = SeamLosses.WithBackground(hfpl.max_norm(v2.Cam) * label);
        var rv2 = SeamLosses.WithBackground(hfpl.max_norm(v2.Refined) * label);

        var er = (cam1[.., 1..] - cam2[.., 1..]).abs().mean();
        var ecr = SeamLosses.TopKMean((SeamLosses.MaxOneHot(cam2.detach()) - rv1).abs())
                  + SeamLosses.TopKMean((SeamLosses.MaxOneHot(cam1.detach()) - rv2).abs());

        var terms = new LossTerms();
        Tensor cls1;
        if (AddOn is null)
        {
            cls1 = functional.multilabel_soft_margin_loss(gap1, labels);
        }
        else
        {
            var (mixed, featureSimilarity) = AddOn.forward(images, v1.Logits[.., 1..], gap1, labels, valid,
                AddOn.FslOnRefinedMaps ? v1.RefinedGrid[.., 1..] : null);
            cls1 = mixed;
            terms.Add("fsl", featureSimilarity.MoveToOuterDisposeScope());
        }
        terms.Add("cls", ((cls1 + cls2) / 2).MoveToOuterDisposeScope());
        terms.Add("minpool", ((minPool1 + minPool2) / 2).MoveToOuterDisposeScope());
        terms.Add("er", er.MoveToOuterDisposeScope());
        terms.Add("ecr", ecr.MoveToOuterDisposeScope());
        return terms;
    }

    /// <inheritdoc />
    /// <remarks>The PCM-refined CAMs of the foreground classes, at the input size.</remarks>
    public override Tensor InferenceCams(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Forward(images).Refined[.., 1..].MoveToOuterDisposeScope();
    }
}
