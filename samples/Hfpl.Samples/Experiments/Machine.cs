using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Hfpl.Samples.Experiments;

/// <summary>
/// The CPU a run was made on, recorded next to its results. libtorch picks its CPU kernels by instruction set (ATen's vectorised
/// kernels: AVX-512, AVX2 or none; oneDNN's convolutions likewise), and different kernels round differently: the same code,
/// seed and data give the same weights run after run on one machine, and other weights when the kernels change (samples/README,
/// "Session 10"). Setting <c>ATEN_CPU_CAPABILITY</c> (<c>default</c>, <c>avx2</c>, <c>avx512</c>) or <c>ONEDNN_MAX_CPU_ISA</c>
/// pins the kernels; they are recorded when set.
/// </summary>
/// <param name="Cpu">The CPU's model name with its family, model and cache size (<c>/proc/cpuinfo</c>, e.g. "AMD EPYC (family 26,
/// model 2, cache 1024 KB)"), or the process architecture where there is none.</param>
/// <param name="LogicalCores">Logical cores the process sees.</param>
/// <param name="VectorInstructions">The widest vector instruction set the CPU offers: "AVX-512", "AVX2", "AVX", "SSE2", "AdvSimd" or "none".</param>
/// <param name="KernelOverrides">The environment variables that pin libtorch's kernels, as NAME=value, when set; empty otherwise.</param>
public sealed record Machine(string Cpu, int LogicalCores, string VectorInstructions, IReadOnlyList<string> KernelOverrides)
{
    /// <summary>The environment variables that choose libtorch's CPU kernels.</summary>
    public static IReadOnlyList<string> KernelVariables { get; } = ["ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA", "MKL_ENABLE_INSTRUCTIONS"];

    /// <summary>This process's machine; <paramref name="environment"/> reads the environment variables (default: this process's).</summary>
    public static Machine Current(Func<string, string?>? environment = null) => new(CpuName(), Environment.ProcessorCount, WidestVectorInstructions(),
        KernelVariables.Select(name => (name, value: (environment ?? Environment.GetEnvironmentVariable)(name)))
            .Where(v => !string.IsNullOrEmpty(v.value)).Select(v => $"{v.name}={v.value}").ToArray());

    /// <summary>One line, e.g. "AMD EPYC (family 26, model 2, cache 1024 KB), 2 cores, AVX-512" or "..., AVX-512, ATEN_CPU_CAPABILITY=avx2".</summary>
    public override string ToString() =>
        string.Join(", ", new[] { Cpu, $"{LogicalCores} cores", VectorInstructions }.Concat(KernelOverrides));

    static string CpuName()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo)) return RuntimeInformation.ProcessArchitecture.ToString();
        // The first processor's fields; a model name alone can be as vague as "AMD EPYC", so family, model and cache come with it.
        var fields = File.ReadLines(cpuinfo).TakeWhile(line => line.Trim().Length > 0).Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2).GroupBy(pair => pair[0].Trim()).ToDictionary(g => g.Key, g => g.First()[1].Trim());
        var details = new[] { ("cpu family", "family "), ("model", "model "), ("cache size", "cache ") }
            .Where(f => fields.ContainsKey(f.Item1)).Select(f => f.Item2 + fields[f.Item1]).ToArray();
        var name = fields.GetValueOrDefault("model name") is { Length: > 0 } model ? model : RuntimeInformation.ProcessArchitecture.ToString();
        return details.Length > 0 ? $"{name} ({string.Join(", ", details)})" : name;
    }

    static string WidestVectorInstructions() =>
        Avx512F.IsSupported ? "AVX-512"
        : Avx2.IsSupported ? "AVX2"
        : Avx.IsSupported ? "AVX"
        : Sse2.IsSupported ? "SSE2"
        : System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? "AdvSimd"
        : "none";
}
