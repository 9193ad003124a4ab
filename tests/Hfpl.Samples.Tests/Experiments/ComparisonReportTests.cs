using Hfpl.Evaluation;
using Hfpl.Samples.Experiments;
using Hfpl.Samples.Inference;
using Hfpl.Samples.Training;

namespace Hfpl.Samples.Tests.Experiments;

public class ComparisonReportTests
{
    static VariantResult Result(string baseline, bool addOn, int seed, double miou, double contour, double[] curve) =>
        new(new ModelSpec(baseline, addOn, "small", 8, 2, seed), seed,
            new TrainingReport(new Dictionary<string, double>(), new Dictionary<string, double>(), TimeSpan.Zero),
            new PseudoLabelReport(miou, 0.1, 0.1, curve.Select((v, i) => new ThresholdPoint(i * 0.1, v)).ToList(), [miou], new ContourScores(contour, contour / 2), null, 0, 1, 1),
            TimeSpan.Zero);

    [Fact]
    public void Two_baselines_get_one_paired_difference_row_each_and_one_plot_with_four_curves()
    {
        double[] curve = [0.1, 0.2, 0.3];
        var results = new List<VariantResult>();
        foreach (var seed in new[] { 0, 1 })
        {
            results.Add(Result("cam", false, seed, 0.50 + 0.01 * seed, 0.30, curve));
            results.Add(Result("cam", true, seed, 0.55 + 0.03 * seed, 0.40, curve));
            results.Add(Result("seam", false, seed, 0.60, 0.35, curve));
            results.Add(Result("seam", true, seed, 0.58, 0.45, curve));
        }
        var lines = ComparisonReport.Table(results).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length); // header, four variants, two differences
        var camDifference = Assert.Single(lines, l => l.StartsWith("CAM++ - CAM"));
        // Per-seed differences 5 and 7 points: mean 6, sample std 1.41.
        Assert.Contains("6.00 ± 1.41", camDifference);
        var seamDifference = Assert.Single(lines, l => l.StartsWith("SEAM++ - SEAM"));
        Assert.Contains("-2.00 ± 0.00", seamDifference);

        var folder = Directory.CreateTempSubdirectory("hfpl-report-").FullName;
        try
        {
            Assert.True(ComparisonReport.WriteCurvePlot(Path.Combine(folder, "curves.png"), results, "four"));
            Assert.True(new FileInfo(Path.Combine(folder, "curves.png")).Length > 1000);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
