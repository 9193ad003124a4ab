using System.CommandLine;
using Hfpl.Native;

namespace Hfpl.Cli.Commands;

/// <summary><c>hfpl check</c>: loads libtorch, or says which native library failed and how to fix it.</summary>
public static class CheckCommand
{
    /// <summary>Declares the command and its action.</summary>
    public static Command Create()
    {
        var command = new Command("check", "Load libtorch; on failure print which native library failed and how to fix it.");
        command.SetAction(_ =>
        {
            TorchNative.EnsureLoaded();
            Console.WriteLine($"libtorch {TorchSharp.torch.__version__} loaded; CUDA available: {TorchSharp.torch.cuda.is_available()}");
            return 0;
        });
        return command;
    }
}
