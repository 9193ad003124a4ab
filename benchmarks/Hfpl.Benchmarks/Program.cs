using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Hfpl.Benchmarks;

// dotnet run -c Release --project benchmarks/Hfpl.Benchmarks -- [--quick] [--device cpu|cuda[:N]] [BenchmarkDotNet arguments, e.g. --filter *Pooling*]
//   --quick   every benchmark once (a smoke test: it asserts nothing about time)
//   --device  run on this device only (default: cpu, and cuda where a CUDA backend is loaded)
//   --memory  peak resident memory (native included) of each feature similarity configuration, one process each
var deviceAt = Array.IndexOf(args, "--device");
if (deviceAt >= 0)
{
    if (deviceAt + 1 >= args.Length) { Console.Error.WriteLine("benchmarks: --device needs a value (cpu, cuda or cuda:N)"); return 2; }
    try { Hfpl.Native.TorchDevices.Parse(args[deviceAt + 1]); }
    catch (ArgumentException e) { Console.Error.WriteLine($"benchmarks: --device: {e.Message}"); return 2; }
    catch (Hfpl.Native.NativeLibraryException e) { Console.Error.WriteLine($"benchmarks: {e.Message}"); return 3; }
    Environment.SetEnvironmentVariable(BenchmarkDevice.Variable, args[deviceAt + 1]);
    args = args.Where((_, i) => i != deviceAt && i != deviceAt + 1).ToArray();
}
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
