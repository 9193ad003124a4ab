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
    public void A_missing_backend_package_says_which_packages_to_reference()
    {
        var message = NativeLoadDiagnostics.Describe("Could not load libtorch", [new("libtorch_cpu.so", null, null)], libstdcxxHasRequiredSymbol: true);
        Assert.Contains("No libtorch native files", message);
        Assert.Contains("TorchSharp-cpu", message);
        Assert.Contains("TorchSharp-cuda-linux", message);
        Assert.DoesNotContain("GLIBCXX", message);
    }
}
