using System.Diagnostics;
using Hfpl.Losses;
using Hfpl.Losses.FeatureSimilarity;
using static TorchSharp.torch;

namespace Hfpl.Benchmarks;

/// <summary>
/// Peak resident memory (native tensors included, which BenchmarkDotNet's allocation counter does not see) of one
/// forward+backward of each feature similarity configuration. Each configuration runs in its own process: the
/// process's resident high-water mark (VmHWM, reset through /proc/self/clear_refs after set-up) minus its resident
/// size before the call. Linux only.
/// </summary>
public static class PeakMemory
{
    static readonly (string Path, int Grid)[] Configurations =
    [
        ("literal", 28), ("literal", 56), ("exact", 28), ("exact", 56), ("exact", 112),
        ("window5", 112), ("window10", 112), ("window15", 28), ("window15", 56), ("window15", 112), ("window15", 224),
    ];

    public static int Run(string[] args)
    {
        if (args.Length == 3 && args[0] == "--one") return One(args[1], int.Parse(args[2]));
        Console.WriteLine("| path | grid | B | channels | peak extra resident memory (MiB) | time (s) |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var self = Environment.ProcessPath!;
        var assembly = typeof(PeakMemory).Assembly.Location;
        foreach (var (path, grid) in Configurations)
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(assembly);
            foreach (var a in new[] { "--memory", "--one", path, grid.ToString() }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var line = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            Console.WriteLine(line);
        }
        return 0;
    }

    static int One(string path, int grid)
    {
        const int batch = 8, channels = 21;
        using var generator = new Generator(0);
        var coarse = rand([batch, 3, grid / 4, grid / 4], generator: generator);
        var features = coarse.repeat_interleave(4, 2).repeat_interleave(4, 3);
        var logits = nn.functional.interpolate(randn([batch, channels - 1, 7, 7], generator: generator), [grid, grid], mode: InterpolationMode.Bilinear, align_corners: true);
        var predictions = Hfpl.hfpl.binomial_predictions(logits, ones(batch, channels - 1)).detach().requires_grad_(true);
        var parameters = new FeatureSimilarityParameters(Hfpl.Posterior.Binomial, 2.5, 5, 1, 2);

        var before = Status("VmRSS");
        File.WriteAllText("/proc/self/clear_refs", "5");
        var clock = Stopwatch.StartNew();
        using (var loss = path switch
               {
                   "literal" => LiteralFeatureSimilarity.Loss(features, predictions, parameters),
                   "exact" => losses.feature_similarity_loss(features, predictions),
                   _ when path.StartsWith("window") && int.TryParse(path["window".Length..], out var radius) =>
                       losses.feature_similarity_loss(features, predictions, windowRadius: radius),
                   _ => throw new ArgumentException($"unknown path {path}"),
               })
        {
            loss.backward();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var peak = Status("VmHWM");
        Console.WriteLine($"| {path} | {grid}x{grid} | {batch} | {channels} | {(peak - before) / 1024.0:F0} | {seconds:F2} |");
        return 0;
    }

    /// <summary>A /proc/self/status field in KiB.</summary>
    static long Status(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0]);
    }
}
