using System.CommandLine;
using Hfpl.Cli.Options;
using Hfpl.Samples.Experiments;

namespace Hfpl.Cli.Commands;

/// <summary><c>hfpl report</c>: one table and one threshold plot from the <c>comparison.json</c> of several <c>hfpl demo</c> runs and the
/// <c>metrics.json</c> of <c>hfpl infer</c> runs.</summary>
public static class ReportCommand
{
    /// <summary>Declares the command and its action.</summary>
    public static Command Create()
    {
        var files = new Argument<string[]>("comparison.json|metrics.json") { Description = "comparison.json files written by hfpl demo (one per seed, baseline or machine) " +
            "and/or metrics.json files written by hfpl infer over a whole dataset (one run each)", Arity = ArgumentArity.OneOrMore };
        var output = OptionFactory.Text("--out", "output folder: table.txt and miou_vs_threshold.png", Path.Combine("out", "report"));
        var command = new Command("report", "Merge the comparison.json of several hfpl demo runs, or the metrics.json of hfpl infer runs, of the same data (other seeds, other baselines) " +
                                            "into one table (mean ± std over seeds, paired differences) and one plot of every threshold curve.");
        command.Arguments.Add(files);
        command.Options.Add(output);
        command.SetAction(result =>
        {
            var paths = result.GetValue(files)!;
            var (dataset, runs) = ComparisonFile.Merge(paths);
            var folder = result.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var table = ComparisonReport.Table(runs);
            File.WriteAllText(Path.Combine(folder, "table.txt"), table);
            var plot = Path.Combine(folder, "miou_vs_threshold.png");
            var plotted = ComparisonReport.WriteCurvePlot(plot, runs, $"{dataset}: pseudo-label mIoU");
            Console.Write(table);
            Console.WriteLine($"{runs.Count} runs from {paths.Length} file{(paths.Length > 1 ? "s" : "")}; wrote {Path.Combine(folder, "table.txt")}" +
                              (plotted ? $" and {plot}" : " (no threshold curve: the data has no background class)"));
            return 0;
        });
        return command;
    }
}
