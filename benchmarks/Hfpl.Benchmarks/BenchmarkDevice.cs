using static TorchSharp.torch;

namespace Hfpl.Benchmarks;

/// <summary>
/// The device a benchmark runs on, from its <c>Device</c> parameter: the one given with <c>--device cpu|cuda[:N]</c>
/// (carried to BenchmarkDotNet's child processes in <see cref="Variable"/>), else "cpu" always and "cuda" where a CUDA
/// backend of TorchSharp is loaded.
/// </summary>
public static class BenchmarkDevice
{
    /// <summary>The environment variable that holds the device chosen with <c>--device</c>.</summary>
    public const string Variable = "HFPL_BENCHMARK_DEVICE";

    /// <summary>The devices worth listing as a parameter.</summary>
    public static IEnumerable<string> Available()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } chosen)
        {
            yield return chosen;
            yield break;
        }
        yield return "cpu";
        if (cuda.is_available()) yield return "cuda";
        else Console.Error.WriteLine("benchmarks: CUDA is not available (no CUDA backend of TorchSharp 0.107 is loaded): CUDA benchmarks are skipped.");
    }

    /// <summary>Maps the parameter to a device (checked: Hfpl's message when CUDA is asked for without a CUDA backend).</summary>
    public static Device Of(string name) => Hfpl.Native.TorchDevices.Parse(name);

    /// <summary>Runs a loss or pooling once, with its backward pass if asked, releasing every tensor, and waits for the device.</summary>
    public static void Run(string device, Func<Tensor> compute, bool backward)
    {
        using var scope = NewDisposeScope();
        using var grad = backward ? enable_grad() : no_grad();
        var result = compute();
        if (backward) result.sum().backward();
        Synchronize(device);
    }

    /// <summary>Waits for queued GPU work so that timings are honest.</summary>
    public static void Synchronize(string name)
    {
        if (name.StartsWith("cuda", StringComparison.Ordinal)) cuda.synchronize();
    }
}
