using Hfpl.Samples.Data;
using Hfpl.Samples.Inference;
using Hfpl.Samples.Tests.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Hfpl.Samples.Tests.Inference;

public sealed class ThresholdDecoderTests
{
    [Fact]
    public void Every_threshold_decodes_as_pseudo_labels_does()
    {
        var (width, height) = (6, 5);
        var pixels = width * height;
        var mask = new byte[pixels];
        (mask[0], mask[1], mask[2]) = (3, 7, 15); // VOC classes 3, 7, 15: labels 2, 6, 14
        var sample = new SegmentationSample("a", TestFiles.Pattern(width, height), new IndexMask(width, height, mask), DatasetInfo.Voc2012);
        var k = sample.Labels.Count;
        var random = new Random(3);
        var cams = Enumerable.Range(0, k * pixels).Select(_ => 0.6f * random.NextSingle()).ToArray();
        // A tie between two labelled classes (the first one wins), a score exactly at 0.3 in float32 (not above it, so
        // background at 0.3), and an unlabelled class strongest of all (ignored).
        (cams[2 * pixels + 4], cams[6 * pixels + 4], cams[14 * pixels + 4]) = (0.5f, 0.5f, 0.1f);
        (cams[2 * pixels + 5], cams[6 * pixels + 5], cams[14 * pixels + 5]) = (0.3f, 0.1f, 0.2f);
        cams[0 * pixels + 6] = 10f;

        var decoder = new ThresholdDecoder(cams, sample);
        using var scores = tensor(cams, [1, k, height, width]);
        using var labels = sample.LabelTensor().unsqueeze(0);
        foreach (var threshold in PseudoLabelEvaluation.SweepThresholds.Append(0.3f))
        {
            using var expected = hfpl.pseudo_labels(scores, labels, threshold)[0].to(ScalarType.Byte);
            Assert.Equal(expected.data<byte>().ToArray(), decoder.At(threshold).Values);
        }
        Assert.Equal(3, decoder.At(0.4).Values[4]);
        Assert.Equal(0, decoder.At(0.3).Values[5]);
        Assert.Equal(3, decoder.At(0.29).Values[5]);
        Assert.NotEqual(decoder.At(0).Values, decoder.At(0.59).Values);
        Assert.Equal([width, height], new[] { decoder.At(0.1).Width, decoder.At(0.1).Height });
    }
}
