using Hfpl.Native;

namespace Hfpl.Core.Tests.Native;

public class NativeLoadDiagnosticsTests
{
    [Fact]
    public void Libtorch_loads_on_this_machine()
    {
        TorchNative.EnsureLoaded(); // throws NativeLibraryException with advice if not
        Assert.NotEqual(false, NativeLoadDiagnostics.LibstdcxxHasRequiredSymbol());
    }

    [Fact]
    public void An_old_libstdcxx_names_the_library_the_missing_symbol_and_the_fix()
    {
        var message = NativeLoadDiagnostics.Describe("The type initializer for 'TorchSharp.torch' threw an exception.",
        [
            new("libc10.so", "/app/runtimes/linux-x64/native/libc10.so", null),
            new("libtorch_cpu.so", "/app/runtimes/linux-x64/native/libtorch_cpu.so",
                "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by libtorch_cpu.so)"),
        ], libstdcxxHasRequiredSymbol: false);
        Assert.Contains("libtorch_cpu.so", message);
        Assert.Contains("GLIBCXX_3.4.32", message);
        Assert.Contains("ensure-native.sh", message);
        Assert.Contains("apt-get install -t trixie libstdc++6", message);
        Assert.DoesNotContain("TorchSharp-cpu", message); // the backend is there: do not send the user after it
    }

    [Fact]
    public void A_partly_missing_backend_names_the_missing_file_and_keeps_the_loader_reason()
    {
        var message = NativeLoadDiagnostics.Describe("load failed",
        [
            new("libc10.so", "/app/libc10.so", null),
            new("libtorch_cpu.so", null, null),
            new("libLibTorchSharp.so", "/app/libLibTorchSharp.so",
                "Unable to load shared library '/app/libLibTorchSharp.so' or one of its dependencies. In order to help diagnose loading problems, consider using a tool like strace. If you're using glibc, consider setting the LD_DEBUG environment variable: \nlibtorch_cpu.so: cannot open shared object file: No such file or directory"),
        ], libstdcxxHasRequiredSymbol: true);
        Assert.Contains("Missing next to the application: libtorch_cpu.so.", message);
        Assert.Contains("libtorch_cpu.so: cannot open shared object file", message);
        Assert.DoesNotContain("LD_DEBUG", message);
        Assert.Contains("TorchSharp-cpu", message);
    }

    [Fact]
    public void A_missing_backend_package_says_which_packages_to_reference()
    {
        var message = NativeLoadDiagnostics.Describe("Could not load libtorch", [new("libtorch_cpu.so", null, null)], libstdcxxHasRequiredSymbol: true);
        Assert.Contains("No libtorch native files", message);
        Assert.Contains("TorchSharp-cpu", message);
        Assert.Contains("TorchSharp-cuda-linux", message);
        Assert.DoesNotContain("GLIBCXX", message);
    }
}
