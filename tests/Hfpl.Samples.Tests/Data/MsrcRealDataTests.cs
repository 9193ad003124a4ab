using Hfpl.Samples.Data;
using SkiaSharp;

namespace Hfpl.Samples.Tests.Data;

/// <summary>
/// Reads a few files of the real MSRC-21 data where it exists: the project's shared data folder
/// (<c>shared/data/msrc21</c> in an ancestor folder of the test binaries, or the HFPL_MSRC21 variable).
/// The data is not part of the repository; where it is absent these tests return at once and pass.
/// </summary>
public class MsrcRealDataTests
{
    private static string? FindRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("HFPL_MSRC21");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv)) return fromEnv;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "msrc21");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    [Fact]
    public void FewRealFiles_HaveLabelsWithin21Classes()
    {
        var root = FindRoot();
        if (root is null) return; // data not present on this machine

        var ds = new MsrcDataset(root);
        Assert.True(ds.Count > 0);
        Assert.Equal(DatasetInfo.Msrc21.ClassNames, ds.Info.ClassNames);
        Assert.False(ds.Info.HasBackground);
        Assert.Equal(255, ds.Info.IgnoreIndex);

        var indices = new[] { 0, ds.Count / 2, ds.Count - 1 }
            .Concat(ds.PreciseMaskIds.Take(2).Select(ds.IndexOf)).Distinct();
        foreach (var i in indices)
        {
            var s = ds[i];
            Assert.Equal(21, s.Labels.Count);
            Assert.NotEmpty(s.PresentClasses);
            Assert.All(s.PresentClasses, c => Assert.InRange(c, 0, 20));
            Assert.All(s.Mask.Values, v => Assert.True(v <= 20 || v == 255, $"{s.MaskPath}: value {v}"));
            Assert.InRange(s.Width, 200, 320);
            Assert.InRange(s.Height, 200, 320);

            // Cross-check the managed decoder against Skia, which gives 8-bit grayscale PNGs raw.
            using var bitmap = SKBitmap.Decode(s.MaskPath);
            Assert.Equal(SKColorType.Gray8, bitmap.ColorType);
            Assert.Equal(bitmap.GetPixelSpan().ToArray(), s.Mask.Values);
        }

        foreach (var id in ds.PreciseMaskIds.Take(2))
        {
            var s = ds[ds.IndexOf(id)];
            Assert.NotNull(s.PreciseMask);
            Assert.All(s.PreciseMask!.Values, v => Assert.True(v <= 20 || v == 255));
        }
    }
}
