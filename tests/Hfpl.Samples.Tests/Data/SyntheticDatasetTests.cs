using Hfpl.Samples.Data;

namespace Hfpl.Samples.Tests.Data;

public class SyntheticDatasetTests
{
    private static SyntheticDataset Make(int seed = 7, int count = 40, int width = 96, int height = 96) =>
        new(new SyntheticOptions { Seed = seed, Count = count, Width = width, Height = height });

    [Fact]
    public void Defaults_DescribeTheDemoData()
    {
        var ds = new SyntheticDataset();
        Assert.Equal(400, ds.Count);
        Assert.True(ds.Info.HasBackground);
        Assert.Equal(6, ds.Info.NumClasses);
        Assert.Equal(5, ds.Info.NumLabels);
        Assert.Equal(255, ds.Info.IgnoreIndex);
        Assert.Equal("background", ds.Info.ClassNames[0]);
        var s = ds[0];
        Assert.Equal((96, 96), (s.Width, s.Height));
        Assert.Equal("synthetic_00000", s.Id);
    }

    [Fact]
    public void SameSeed_GivesIdenticalPixels_InAnyOrder()
    {
        var a = Make(seed: 11);
        var b = Make(seed: 11);
        int[] order = [5, 0, 3, 9];
        var fromA = order.ToDictionary(i => i, i => a[i]);
        var fromB = Enumerable.Reverse(order).ToDictionary(i => i, i => b[i]);
        foreach (var i in order)
        {
            Assert.Equal(fromA[i].Image.Pixels, fromB[i].Image.Pixels);
            Assert.Equal(fromA[i].Mask.Values, fromB[i].Mask.Values);
        }
        Assert.Equal(a[2].Image.Pixels, b[2].Image.Pixels);
    }

    [Fact]
    public void DifferentSeedOrIndex_GivesDifferentImages()
    {
        var a = Make(seed: 11);
        var b = Make(seed: 12);
        for (var i = 0; i < 3; i++)
        {
            Assert.NotEqual(a[i].Image.Pixels, b[i].Image.Pixels);
            Assert.NotEqual(a[i].Mask.Values, b[i].Mask.Values);
        }
        Assert.NotEqual(a[0].Image.Pixels, a[1].Image.Pixels);
    }

    [Fact]
    public void NonSquareSize_IsHonoured()
    {
        var s = Make(width: 80, height: 56)[0];
        Assert.Equal((80, 56), (s.Width, s.Height));
        Assert.Equal((80, 56), (s.Mask.Width, s.Mask.Height));
    }

    [Fact]
    public void ImagesHoldSeveralClasses_OnAverage()
    {
        var ds = Make(count: 60);
        var perImage = ds.Select(s => s.Labels.Sum()).ToArray();
        Assert.All(perImage, n => Assert.True(n >= 1));
        Assert.True(perImage.Average() > 1.5, $"mean classes per image {perImage.Average()}");
        // Every class shows up.
        var seen = ds.SelectMany(s => s.PresentClasses).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 6), seen.Order());
    }

    [Fact]
    public void MasksAgreeWithLabelsAndObjects()
    {
        var ds = Make(count: 30);
        for (var i = 0; i < ds.Count; i++)
        {
            var scene = ds.GenerateScene(i);
            var s = scene.Sample;
            var objectClasses = scene.Objects.Select(o => o.ClassIndex).Order().ToArray();
            Assert.Equal(objectClasses.Length, objectClasses.Distinct().Count());
            Assert.Equal(objectClasses, s.PresentClasses.Where(c => c != 0));
            Assert.Contains(0, s.PresentClasses); // background
            Assert.All(s.Mask.Values, v => Assert.True(v < 6));
            for (var k = 0; k < 5; k++) Assert.Equal(objectClasses.Contains(k + 1) ? 1f : 0f, s.Labels[k]);
            foreach (var o in scene.Objects)
                Assert.Equal(o.VisibleArea, s.Mask.Values.Count(v => v == o.ClassIndex));
        }
    }

    [Fact]
    public void EveryObjectHasASmallPartInsideIt()
    {
        var ds = Make(count: 30);
        for (var i = 0; i < ds.Count; i++)
        {
            var scene = ds.GenerateScene(i);
            var s = scene.Sample;
            foreach (var o in scene.Objects)
            {
                Assert.Equal(11, o.PartSize); // round(0.11 * 96)
                // The part and a one-pixel rim around it are labelled as the object.
                for (var y = o.PartY - 1; y <= o.PartY + o.PartSize; y++)
                    for (var x = o.PartX - 1; x <= o.PartX + o.PartSize; x++)
                        Assert.Equal(o.ClassIndex, s.Mask[y, x]);
                // Small against the object: the method's point is a CAM that stops at the part.
                Assert.True(o.PartSize * o.PartSize < 0.2 * o.VisibleArea, $"part {o.PartSize}^2 vs area {o.VisibleArea}");
            }
        }
    }

    [Fact]
    public void PartPatterns_AreTheSameWithinAClass_AndDifferAcrossClasses()
    {
        var ds = Make(count: 40);
        var parts = new Dictionary<int, List<double[]>>();
        for (var i = 0; i < ds.Count; i++)
        {
            var scene = ds.GenerateScene(i);
            foreach (var o in scene.Objects)
            {
                var patch = new double[o.PartSize * o.PartSize * 3];
                for (var y = 0; y < o.PartSize; y++)
                    for (var x = 0; x < o.PartSize; x++)
                    {
                        var (r, g, b) = scene.Sample.Image[o.PartY + y, o.PartX + x];
                        patch[3 * (y * o.PartSize + x)] = r;
                        patch[3 * (y * o.PartSize + x) + 1] = g;
                        patch[3 * (y * o.PartSize + x) + 2] = b;
                    }
                (parts.TryGetValue(o.ClassIndex, out var list) ? list : parts[o.ClassIndex] = []).Add(patch);
            }
        }
        Assert.Equal(5, parts.Count);
        static double Diff(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();
        foreach (var (_, list) in parts)
            Assert.True(Diff(list[0], list[^1]) < 6, "same-class parts differ by more than pixel noise");
        foreach (var (c1, l1) in parts)
            foreach (var (c2, l2) in parts)
                if (c1 < c2) Assert.True(Diff(l1[0], l2[0]) > 40, $"parts of classes {c1} and {c2} look alike");
    }

    [Fact]
    public void ClassBoundaries_AreColourEdges()
    {
        var ds = Make(count: 20);
        int boundary = 0, weak = 0;
        foreach (var s in ds)
            for (var y = 0; y < s.Height; y++)
                for (var x = 0; x + 1 < s.Width; x++)
                {
                    if (s.Mask[y, x] == s.Mask[y, x + 1]) continue;
                    boundary++;
                    var (r1, g1, b1) = s.Image[y, x];
                    var (r2, g2, b2) = s.Image[y, x + 1];
                    if (Math.Abs(r1 - r2) + Math.Abs(g1 - g2) + Math.Abs(b1 - b2) < 40) weak++;
                }
        Assert.True(boundary > 1000);
        Assert.True(weak < 0.05 * boundary, $"{weak} of {boundary} boundary pairs have no colour edge");
    }

    [Fact]
    public void BackgroundIsTextured_NotFlat()
    {
        var s = Make()[0];
        var bg = Enumerable.Range(0, s.Mask.Values.Length).Where(i => s.Mask.Values[i] == 0)
            .Select(i => (double)s.Image.Pixels[3 * i + 1]).ToArray();
        var mean = bg.Average();
        var sd = Math.Sqrt(bg.Select(v => (v - mean) * (v - mean)).Average());
        Assert.True(sd > 8, $"background green channel sd {sd}");
    }

    [Fact]
    public void VoidBorder_MarksOnlyBoundaries()
    {
        var exact = new SyntheticDataset(new SyntheticOptions { Seed = 3, Count = 2 })[1];
        var banded = new SyntheticDataset(new SyntheticOptions { Seed = 3, Count = 2, VoidBorder = 1 })[1];
        Assert.Equal(exact.Image.Pixels, banded.Image.Pixels);
        Assert.Equal(exact.Labels, banded.Labels);
        int voids = 0;
        for (var y = 0; y < exact.Height; y++)
            for (var x = 0; x < exact.Width; x++)
            {
                var nearEdge = false;
                for (var dy = -1; dy <= 1; dy++)
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        int yy = y + dy, xx = x + dx;
                        if (yy >= 0 && yy < exact.Height && xx >= 0 && xx < exact.Width && exact.Mask[yy, xx] != exact.Mask[y, x]) nearEdge = true;
                    }
                Assert.Equal(nearEdge ? (byte)255 : exact.Mask[y, x], banded.Mask[y, x]);
                if (nearEdge) voids++;
            }
        Assert.True(voids > 0);
    }

    [Fact]
    public void GeneratesQuickly()
    {
        var ds = Make(count: 100);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var _ in ds) { }
        Assert.True(watch.Elapsed.TotalSeconds < 5, $"100 images took {watch.Elapsed.TotalSeconds:F1} s");
    }

    [Theory]
    [InlineData(0, 2, 3, 96)]
    [InlineData(7, 2, 3, 96)]
    [InlineData(5, 0, 3, 96)]
    [InlineData(5, 3, 2, 96)]
    [InlineData(5, 2, 3, 16)]
    public void BadOptions_Throw(int classes, int min, int max, int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticDataset(new SyntheticOptions
            { ObjectClasses = classes, MinObjects = min, MaxObjects = max, Width = size }));
    }

    [Fact]
    public void IndexOutOfRange_Throws()
    {
        var ds = Make(count: 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => ds[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.GenerateScene(-1));
    }
}
