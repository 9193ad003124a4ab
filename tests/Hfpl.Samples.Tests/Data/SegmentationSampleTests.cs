using Hfpl.Samples.Data;

namespace Hfpl.Samples.Tests.Data;

public class SegmentationSampleTests
{
    private static SegmentationSample Make(DatasetInfo info, byte[] allowed, int w = 6, int h = 4, int seed = 3) =>
        new("s", TestFiles.Pattern(w, h, seed), TestFiles.RandomMask(w, h, allowed, seed), info);

    [Fact]
    public void Labels_WithoutBackground_CoverAllClasses()
    {
        var mask = new IndexMask(3, 1, [0, 3, 255]);
        var s = new SegmentationSample("a", TestFiles.Pattern(3, 1), mask, DatasetInfo.Msrc21);
        Assert.Equal([0, 3], s.PresentClasses);
        Assert.Equal(21, s.Labels.Count);
        Assert.Equal(Enumerable.Range(0, 21).Select(c => c is 0 or 3 ? 1f : 0f), s.Labels);
    }

    [Fact]
    public void Labels_WithBackground_LeaveItOut()
    {
        var mask = new IndexMask(4, 1, [0, 15, 255, 20]);
        var s = new SegmentationSample("a", TestFiles.Pattern(4, 1), mask, DatasetInfo.Voc2012);
        Assert.Equal([0, 15, 20], s.PresentClasses);
        Assert.Equal(20, s.Labels.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(k => k is 14 or 19 ? 1f : 0f), s.Labels);
    }

    [Fact]
    public void WrongSizeMask_Throws_NamingTheMask()
    {
        var e = Assert.Throws<InvalidDataException>(() => new SegmentationSample(
            "a", TestFiles.Pattern(6, 4), new IndexMask(4, 6), DatasetInfo.Voc2012, maskPath: "/data/masks/a.png"));
        Assert.Contains("/data/masks/a.png", e.Message);
        Assert.Contains("4x6", e.Message);
    }

    [Fact]
    public void ValueOutsideClasses_Throws()
    {
        var e = Assert.Throws<InvalidDataException>(() => new SegmentationSample(
            "a", TestFiles.Pattern(2, 1), new IndexMask(2, 1, [0, 21]), DatasetInfo.Voc2012, maskPath: "m.png"));
        Assert.Contains("21", e.Message);
        Assert.Contains("m.png", e.Message);
    }

    [Fact]
    public void ImageTensor_IsFloatChwInUnitRange()
    {
        var s = Make(DatasetInfo.Voc2012, [0, 1, 255], w: 5, h: 3);
        using var t = s.ImageTensor();
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal([3L, 3, 5], t.shape);
        var values = t.data<float>().ToArray();
        for (var c = 0; c < 3; c++)
            for (var y = 0; y < 3; y++)
                for (var x = 0; x < 5; x++)
                    Assert.Equal(s.Image.Pixels[3 * (y * 5 + x) + c] / 255f, values[(c * 3 + y) * 5 + x], 6);
    }

    [Fact]
    public void MaskAndLabelTensors_HaveTheValues()
    {
        var s = Make(DatasetInfo.Voc2012, [0, 7, 255], w: 5, h: 3);
        using var m = s.MaskTensor();
        Assert.Equal(ScalarType.Int64, m.dtype);
        Assert.Equal([3L, 5], m.shape);
        Assert.Equal(s.Mask.Values.Select(v => (long)v), m.data<long>().ToArray());
        using var l = s.LabelTensor();
        Assert.Equal(ScalarType.Float32, l.dtype);
        Assert.Equal([20L], l.shape);
        Assert.Equal(s.Labels, l.data<float>().ToArray());
        Assert.Null(s.PreciseMaskTensor());
    }

    [Fact]
    public void Tensors_LeaveNoLiveTensorsBehind()
    {
        var s = Make(DatasetInfo.Voc2012, [0, 7, 255], w: 8, h: 8);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 3; i++)
        {
            s.ImageTensor().Dispose();
            s.MaskTensor().Dispose();
            s.LabelTensor().Dispose();
            SegmentationBatch.Collate([s, s]).Dispose();
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Collate_StacksSamples()
    {
        var a = Make(DatasetInfo.Voc2012, [0, 7, 255], w: 6, h: 4, seed: 1);
        var b = Make(DatasetInfo.Voc2012, [0, 9], w: 6, h: 4, seed: 2);
        using var batch = SegmentationBatch.Collate([a, b]);
        Assert.Equal([2L, 3, 4, 6], batch.Images.shape);
        Assert.Equal([2L, 4, 6], batch.Masks.shape);
        Assert.Equal([2L, 20], batch.Labels.shape);
        Assert.Equal(ScalarType.Int64, batch.Masks.dtype);
        using var bImage = b.ImageTensor();
        using var bMask = b.MaskTensor();
        using var bLabels = b.LabelTensor();
        Assert.True(batch.Images[1].eq(bImage).all().item<bool>());
        Assert.True(batch.Masks[1].eq(bMask).all().item<bool>());
        Assert.True(batch.Labels[1].eq(bLabels).all().item<bool>());
        Assert.Equal(["s", "s"], batch.Ids);
    }

    [Fact]
    public void Collate_MixedSizes_Throws()
    {
        var a = Make(DatasetInfo.Voc2012, [0], w: 6, h: 4);
        var b = Make(DatasetInfo.Voc2012, [0], w: 4, h: 6);
        Assert.Throws<ArgumentException>(() => SegmentationBatch.Collate([a, b]));
        Assert.Throws<ArgumentException>(() => SegmentationBatch.Collate([]));
    }

    [Fact]
    public void DatasetInfo_MapsLabelsToClasses()
    {
        Assert.Equal(20, DatasetInfo.Voc2012.NumLabels);
        Assert.Equal(15, DatasetInfo.Voc2012.LabelToClass(14));
        Assert.Equal(-1, DatasetInfo.Voc2012.ClassToLabel(0));
        Assert.Equal(21, DatasetInfo.Msrc21.NumLabels);
        Assert.Equal(3, DatasetInfo.Msrc21.LabelToClass(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetInfo.Voc2012.LabelToClass(20));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetInfo("x", ["a", "b"], false, ignoreIndex: 1));
    }
}
