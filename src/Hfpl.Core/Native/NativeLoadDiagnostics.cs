using System.Runtime.InteropServices;
using System.Text;

namespace Hfpl.Native;

/// <summary>
/// Explains a libtorch load failure. Pure functions over what <see cref="TorchNative"/> observed, so the
/// advice can be tested without breaking the machine.
/// </summary>
internal static class NativeLoadDiagnostics
{
    /// <summary>The glibc++ symbol version libtorch 2.10 (TorchSharp 0.107) was built against.</summary>
    public const string RequiredGlibcxx = "GLIBCXX_3.4.32";

    /// <summary>The native files TorchSharp's CPU backend loads, in load order.</summary>
    public static readonly string[] LinuxLibraries = ["libc10.so", "libtorch_cpu.so", "libtorch.so", "libLibTorchSharp.so"];

    /// <summary>What a probe of one native file found: not present, loaded, or failed with the loader's reason.</summary>
    public sealed record Probe(string Library, string? Path, string? Error);

    /// <summary>Composes the message: the failing library and reason first, then the fixes that apply.</summary>
    /// <param name="loaderMessage">TorchSharp's own exception message (kept short).</param>
    /// <param name="probes">One entry per native file looked for.</param>
    /// <param name="libstdcxxHasRequiredSymbol">Whether the system libstdc++ exports <see cref="RequiredGlibcxx"/>; null when unknown or not Linux.</param>
    public static string Describe(string loaderMessage, IReadOnlyList<Probe> probes, bool? libstdcxxHasRequiredSymbol)
    {
        var text = new StringBuilder("Hfpl could not load libtorch, the native library under TorchSharp.");
        var failed = probes.FirstOrDefault(p => p.Path is not null && p.Error is not null);
        var anyFound = probes.Any(p => p.Path is not null);
        var missing = anyFound ? probes.Where(p => p.Path is null).Select(p => p.Library).ToList() : [];
        if (missing.Count > 0)
            text.Append($" Missing next to the application: {string.Join(", ", missing)}.");
        if (failed is not null)
            text.Append($" Loading {failed.Library} ({failed.Path}) failed: {Compact(failed.Error!)}");
        else if (!anyFound)
            text.Append(" No libtorch native files were found next to the application.");
        else if (missing.Count == 0)
            text.Append($" TorchSharp reported: {Compact(loaderMessage)}");
        text.AppendLine();

        var glibcxxProblem = libstdcxxHasRequiredSymbol == false
                             || (failed?.Error?.Contains("GLIBCXX", StringComparison.Ordinal) ?? false)
                             || loaderMessage.Contains("GLIBCXX", StringComparison.Ordinal);
        if (glibcxxProblem)
        {
            text.AppendLine($"Fix: libtorch 2.10 needs a libstdc++ that exports {RequiredGlibcxx} (GCC 13 or newer); this system's libstdc++ is older.");
            text.AppendLine("  Debian 12: run scripts/ensure-native.sh from the Hfpl repository (as root), which adds the 'trixie' suite " +
                            "on your existing mirror pinned at priority 100 and runs 'apt-get install -t trixie libstdc++6'.");
            text.AppendLine("  Other distributions: install libstdc++ from GCC 13 or newer with the system package manager.");
        }
        if (!anyFound || missing.Count > 0 || !glibcxxProblem)
        {
            text.AppendLine("Fix: the application (not the library) must reference exactly one TorchSharp backend package of version 0.107.0: " +
                            "'TorchSharp-cpu' for CPU, or 'TorchSharp-cuda-linux' / 'TorchSharp-cuda-windows' for CUDA GPUs. " +
                            "TorchSharp 0.107 ships libtorch for linux-x64, win-x64 and osx-arm64.");
        }
        return text.ToString().TrimEnd();
    }

    /// <summary>The loader's reason on one line, without .NET's generic advice about LD_DEBUG and strace.</summary>
    static string Compact(string s)
    {
        var line = string.Join(" ", s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("In order to help diagnose", StringComparison.Ordinal)));
        line = line.Replace(" In order to help diagnose loading problems, consider using a tool like strace. If you're using glibc, consider setting the LD_DEBUG environment variable:", "", StringComparison.Ordinal);
        return line.Length > 600 ? line[..600] + "..." : line;
    }

    /// <summary>Whether a libstdc++ on this Linux system exports <see cref="RequiredGlibcxx"/>; null if none is found or not Linux.</summary>
    public static bool? LibstdcxxHasRequiredSymbol()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return null;
        string[] candidates =
        [
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        ];
        var path = candidates.FirstOrDefault(File.Exists);
        if (path is null) return null;
        var bytes = File.ReadAllBytes(path);
        return bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(RequiredGlibcxx)) >= 0;
    }
}
