using static TorchSharp.torch;

namespace Hfpl.Benchmarks;

/// <summary>
/// The device a benchmark runs on, from its <c>Device</c> parameter: "cpu" always, "cuda" only where a CUDA backend
/// of TorchSharp is loaded. Benchmarks on a missing device are skipped with a message instead of failing.
/// </summary>
public static class BenchmarkDevice
{
    /// <summary>The devices worth listing as a parameter: cpu, and cuda where it is available.</summary>
    public static IEnumerable<string> Available()
    {
        yield return "cpu";
        if (cuda.is_available()) yield return "cuda";
        else Console.Error.WriteLine("benchmarks: CUDA is not available (no CUDA backend of TorchSharp 0.107 is loaded): CUDA benchmarks are skipped.");
    }

    /// <summary>Maps the parameter to a device.</summary>
    public static Device Of(string name) => name == "cuda" ? CUDA : CPU;

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
        if (name == "cuda") cuda.synchronize();
    }
}
