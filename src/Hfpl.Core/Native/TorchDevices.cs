using System.Globalization;
using TorchSharp;

namespace Hfpl.Native;

/// <summary>
/// Turns a device name ("cpu", "cuda", "cuda:1") into a TorchSharp device, with Hfpl's own message when CUDA is asked for and
/// no CUDA backend is loaded (TorchSharp's own is an empty trace).
/// </summary>
public static class TorchDevices
{
    /// <summary>Parses and checks <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Not "cpu", "cuda" or "cuda:N", or N is not a CUDA device of this machine.</exception>
    /// <exception cref="NativeLibraryException">CUDA is asked for and the application's libtorch has no CUDA (it references TorchSharp-cpu),
    /// or the machine has no usable GPU; the message names the package to add.</exception>
    public static torch.Device Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.Trim().ToLowerInvariant();
        if (text == "cpu")
        {
            TorchNative.EnsureLoaded();
            return torch.CPU;
        }
        var index = 0;
        if (!(text == "cuda" || (text.StartsWith("cuda:", StringComparison.Ordinal)
                                 && int.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out index))))
            throw new ArgumentException($"device must be cpu, cuda or cuda:N, got '{name}'.", nameof(name));
        TorchNative.EnsureLoaded();
        if (!torch.cuda.is_available())
            throw new NativeLibraryException(
                $"device '{name}' asked for CUDA, but the libtorch this application loaded has no CUDA device. The application must reference " +
                "'TorchSharp-cuda-linux' (Linux) or 'TorchSharp-cuda-windows' (Windows) version 0.107.0 instead of 'TorchSharp-cpu', and the " +
                "machine needs an NVIDIA GPU and driver; see the README's 'Choosing the backend'.", null);
        var count = torch.cuda.device_count();
        if (index >= count) throw new ArgumentException($"device '{name}': this machine has {count} CUDA device(s), 0..{count - 1}.", nameof(name));
        return torch.device(DeviceType.CUDA, index);
    }
}
