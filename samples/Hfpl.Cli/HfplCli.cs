using System.CommandLine;
using Hfpl.Cli.Commands;
using Hfpl.Native;

namespace Hfpl.Cli;

/// <summary>A bad command line found after parsing: printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The hfpl command line: System.CommandLine declares every option once (name, description, default, check), each command is
/// a class of its own; failures are one line on standard error and an exit code: 1 data, 2 usage, 3 native.
/// </summary>
public static class HfplCli
{
    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("hfpl - train CAM baselines with and without the Hfpl add-on (\"++\") and compare their pseudo-labels");
        foreach (var command in new[] { DemoCommand.Create(), TrainCommand.Create(), InferCommand.Create(), EvalCommand.Create(), ReportCommand.Create(), CheckCommand.Create() })
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var root = Build();
        if (args.Length == 0)
        {
            root.Parse(["--help"]).Invoke();
            return 2;
        }
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            var command = result.CommandResult.Command;
            var prefix = command == root ? "" : command.Name + ": ";
            // One line: the error that names what the user typed, if any (an unknown word also leaves "Required command was not provided").
            var error = result.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? result.Errors[0];
            Console.Error.WriteLine($"hfpl: {prefix}{error.Message.TrimEnd('.')} (see 'hfpl {(command == root ? "" : command.Name + " ")}--help')");
            return 2;
        }
        try
        {
            return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
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
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException
                                      or Hfpl.Samples.Training.TrainingDivergedException)
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
    }
}
