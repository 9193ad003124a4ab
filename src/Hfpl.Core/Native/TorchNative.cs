using System.Runtime.InteropServices;
using TorchSharp;

namespace Hfpl.Native;

/// <summary>
/// Makes sure libtorch is loaded before Hfpl touches a tensor, and turns TorchSharp's long load failure
/// into a <see cref="NativeLibraryException"/> that says what to do. Every public entry point of Hfpl
/// (module constructors, factories, registration) calls <see cref="EnsureLoaded"/>; the check runs once.
/// </summary>
public static class TorchNative
{
    static readonly object Gate = new();
    static volatile bool loaded;
    static NativeLibraryException? failure;

    /// <summary>Loads libtorch's CPU runtime once; throws <see cref="NativeLibraryException"/> if it cannot.</summary>
    public static void EnsureLoaded()
    {
        if (loaded) return;
        lock (Gate)
        {
            if (loaded) return;
            if (failure is not null) throw failure;
            // TorchSharp writes a long load trace to standard output when it fails; the exception below says it better.
            var output = Console.Out;
            try
            {
                Console.SetOut(TextWriter.Null);
                torch.InitializeDeviceType(DeviceType.CPU);
                loaded = true;
            }
            catch (Exception ex) when (ex is not NativeLibraryException)
            {
                failure = new NativeLibraryException(
                    NativeLoadDiagnostics.Describe(ex.Message, ProbeNativeFiles(), NativeLoadDiagnostics.LibstdcxxHasRequiredSymbol()), ex);
                throw failure;
            }
            finally
            {
                Console.SetOut(output);
            }
        }
    }

    /// <summary>Passes <paramref name="value"/> through after <see cref="EnsureLoaded"/>; for base-constructor arguments.</summary>
    internal static T Checked<T>(T value)
    {
        EnsureLoaded();
        return value;
    }

    /// <summary>Tries to load each libtorch file from the places TorchSharp looks, recording the loader's reason for any failure.</summary>
    static List<NativeLoadDiagnostics.Probe> ProbeNativeFiles()
    {
        var probes = new List<NativeLoadDiagnostics.Probe>();
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return probes;
        var rid = RuntimeInformation.RuntimeIdentifier;
        string[] dirs =
        [
            AppContext.BaseDirectory,
            Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native"),
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"),
        ];
        foreach (var lib in NativeLoadDiagnostics.LinuxLibraries)
        {
            var path = dirs.Select(d => Path.Combine(d, lib)).FirstOrDefault(File.Exists);
            string? error = null;
            if (path is not null)
            {
                try { NativeLibrary.Load(path); }
                catch (Exception ex) { error = ex.Message; }
            }
            probes.Add(new(lib, path, error));
        }
        return probes;
    }
}
