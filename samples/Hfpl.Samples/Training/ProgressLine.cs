using System.Diagnostics;

namespace Hfpl.Samples.Training;

/// <summary>
/// A one-line progress bar with the loss terms and the time left: redrawn in place on a terminal, printed every
/// tenth of the run when the output is redirected (logs, CI).
/// </summary>
public sealed class ProgressLine(string title, int total, TextWriter writer)
{
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly bool interactive = ReferenceEquals(writer, Console.Error) ? !Console.IsErrorRedirected : ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
    int lastDecile = -1;

    /// <summary>A duration as mm:ss, or h:mm:ss from an hour on (mm:ss alone would wrap after 59:59).</summary>
    public static string Clock(TimeSpan span) => span.TotalHours >= 1
        ? $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}"
        : $"{span.Minutes:00}:{span.Seconds:00}";

    /// <summary>Reports that <paramref name="done"/> of the total steps are finished.</summary>
    public void Report(int done, IReadOnlyDictionary<string, double> values)
    {
        var fraction = (double)done / total;
        var left = done == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds * (total - done) / done);
        const int width = 24;
        var bar = new string('#', (int)(fraction * width)).PadRight(width, '.');
        var terms = string.Join(" ", values.Select(v => $"{v.Key} {v.Value:F4}"));
        var line = $"{title} [{bar}] {done}/{total} {terms} | {Clock(clock.Elapsed)} elapsed, {Clock(left)} left";
        if (interactive)
        {
            writer.Write("\r" + line.PadRight(Math.Min(Console.BufferWidth - 1, 160)));
            if (done == total) writer.WriteLine();
        }
        else if ((int)(fraction * 10) is var decile && decile != lastDecile)
        {
            lastDecile = decile;
            writer.WriteLine(line);
        }
    }
}
