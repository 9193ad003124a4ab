using Hfpl.Cli;
using Hfpl.Native;

// hfpl: train CAM baselines with and without the Hfpl add-on and compare their pseudo-labels.
try
{
    if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
    {
        Console.WriteLine(Commands.Usage);
        return args.Length == 0 ? 2 : 0;
    }
    var command = args[0];
    var rest = args.Skip(1).ToArray();
    if (rest.Contains("--help") || rest.Contains("-h"))
    {
        Console.WriteLine(Commands.Help(command));
        return 0;
    }
    return command switch
    {
        "demo" => Commands.Demo(rest),
        "train" => Commands.Train(rest),
        "infer" => Commands.Infer(rest),
        "eval" => Commands.Eval(rest),
        "check" => Commands.Check(),
        _ => throw new UsageException($"unknown command '{command}' (commands: demo, train, infer, eval, check)"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"hfpl: {e.Message}");
    return 2;
}
catch (NativeLibraryException e)
{
    Console.Error.WriteLine($"hfpl: {e.Message}");
    return 3;
}
catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"hfpl: {e.Message}");
    return 1;
}
catch (Exception e) when (Environment.GetEnvironmentVariable("HFPL_TRACE") != "1")
{
    // Never a stack trace: anything unforeseen is one line too (HFPL_TRACE=1 shows the trace, for bug reports).
    Console.Error.WriteLine($"hfpl: unexpected {e.GetType().Name}: {e.Message.Split('\n')[0]} (set HFPL_TRACE=1 for the stack trace)");
    return 1;
}
