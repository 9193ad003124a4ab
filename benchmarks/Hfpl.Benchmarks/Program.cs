using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Hfpl.Benchmarks;

// dotnet run -c Release --project benchmarks/Hfpl.Benchmarks -- [--quick] [BenchmarkDotNet arguments, e.g. --filter *Pooling*]
//   --quick   every benchmark once (a smoke test: it asserts nothing about time)
//   --memory  peak resident memory (native included) of each feature similarity configuration, one process each
if (args.Contains("--memory"))
{
    return PeakMemory.Run(args.Where(a => a != "--memory").ToArray());
}
var quick = args.Contains("--quick");
var rest = args.Where(a => a != "--quick").ToArray();
var config = DefaultConfig.Instance.WithOptions(ConfigOptions.DisableOptimizationsValidator);
if (quick) config = config.AddJob(Job.Dry.WithId("quick"));
BenchmarkSwitcher.FromAssembly(typeof(PoolingBenchmarks).Assembly).Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
return 0;
