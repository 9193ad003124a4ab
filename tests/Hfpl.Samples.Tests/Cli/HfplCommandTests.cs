using System.Diagnostics;

namespace Hfpl.Samples.Tests.Cli;

/// <summary>The hfpl command as a user runs it: a separate process, exit codes and messages.</summary>
public sealed class HfplCommandTests : IDisposable
{
    static readonly string HfplDll = Path.Combine(AppContext.BaseDirectory, "hfpl.dll");
    readonly List<string> temporary = [];

    public void Dispose()
    {
        foreach (var path in temporary.Where(Directory.Exists)) Directory.Delete(path, recursive: true);
    }

    static (int Code, string Out, string Error) Run(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    [Theory]
    [InlineData("unknown option '--bogus'", "demo", "--bogus", "1")]
    [InlineData("folder '/no/such/folder' does not exist", "demo", "--data", "/no/such/folder")]
    [InlineData("--steps must be between 1 and 1000000, got 0", "demo", "--steps", "0")]
    [InlineData("--lr must be a number, got 'fast'", "demo", "--lr", "fast")]
    [InlineData("--backbone must be one of small, resnet18, got 'vgg'", "demo", "--backbone", "vgg")]
    [InlineData("--steps needs a value", "train", "--steps")]
    [InlineData("unknown command 'fly'", "fly")]
    [InlineData("--baseline must be one or more of cam, seam, comma-separated, got 'cam,vgg'", "demo", "--baseline", "cam,vgg")]
    [InlineData("--fsl-features must be one of bilinear, area, got 'nearest'", "demo", "--fsl-features", "nearest")]
    [InlineData("--is-lambda must be between 0 and 1, got 1.5", "demo", "--is-lambda", "1.5")]
    [InlineData("--fsl-sigma sets an add-on hyper-parameter; it needs --addon", "train", "--data", "/tmp", "--checkpoint", "/tmp/x.bin", "--fsl-sigma", "2")]
    public void Bad_arguments_give_one_clear_line_and_exit_code_2(string message, params string[] args)
    {
        var (code, output, error) = Run(HfplDll, args);
        Assert.Equal(2, code);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("hfpl: ", lines[0]);
        Assert.Contains(message, lines[0]);
        Assert.Equal("", output);
    }

    [Fact]
    public void Every_command_has_help()
    {
        foreach (var command in new[] { "demo", "train", "infer", "eval", "check" })
        {
            var (code, output, _) = Run(HfplDll, command, "--help");
            Assert.Equal(0, code);
            Assert.Contains($"hfpl {command}", output);
        }
    }

    [Fact]
    public void A_missing_libtorch_file_gives_the_diagnostic_instead_of_a_trace()
    {
        // A copy of the application without libtorch_cpu.so: the first use of Hfpl must say what failed. Files are
        // copied, not linked: the .NET host and the native loader both resolve links back to the original folder.
        var copy = Path.Combine(Path.GetTempPath(), "hfpl-nolibtorch-" + Guid.NewGuid().ToString("N"));
        temporary.Add(copy);
        var source = AppContext.BaseDirectory;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) == "libtorch_cpu.so") continue;
            var target = Path.Combine(copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var (code, _, error) = Run(Path.Combine(copy, "hfpl.dll"), "check");
        Assert.Equal(3, code);
        Assert.Contains("Hfpl could not load libtorch", error);
        Assert.Contains("libtorch_cpu.so", error);
        Assert.Contains("Fix:", error);
        Assert.DoesNotContain("   at ", error); // no stack trace
    }

    [Fact]
    public void Train_infer_and_eval_run_on_an_msrc_layout_folder()
    {
        var root = Path.Combine(Path.GetTempPath(), "hfpl-cli-" + Guid.NewGuid().ToString("N"));
        temporary.Add(root);
        var data = Path.Combine(root, "data");
        new Hfpl.Samples.Data.SyntheticDataset(new() { Seed = 7, Count = 6, Width = 48, Height = 40 }).WriteMsrcLayout(data);
        var checkpoint = Path.Combine(root, "model.bin");

        var train = Run(HfplDll, "train", "--data", data, "--checkpoint", checkpoint, "--backbone", "small", "--addon",
            "--steps", "3", "--batch", "2", "--crop", "40");
        Assert.True(train.Code == 0, train.Error);
        Assert.Contains("CAM++ (lambda 0.2, FSL weight 1, sigma 5): trained 3 steps", train.Out);
        Assert.True(File.Exists(checkpoint) && File.Exists(checkpoint + ".json"));

        var output = Path.Combine(root, "infer");
        var infer = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", output, "--scales", "1");
        Assert.True(infer.Code == 0, infer.Error);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(output, "pseudo_labels"), "*.png").Length);
        Assert.True(File.Exists(Path.Combine(output, "metrics.json")));

        var eval = Run(HfplDll, "eval", "--data", data, "--pred", Path.Combine(output, "pseudo_labels"));
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Matches(@"^6 images: mIoU \d+\.\d\d, contour F \d+\.\d\d$", eval.Out.Trim());

        // Precise masks for two images: eval scores contours against them too.
        Directory.CreateDirectory(Path.Combine(data, "masks_hq"));
        foreach (var mask in Directory.GetFiles(Path.Combine(data, "masks")).Order().Take(2))
            File.Copy(mask, Path.Combine(data, "masks_hq", Path.GetFileName(mask)));
        var precise = Run(HfplDll, "eval", "--data", data, "--pred", Path.Combine(output, "pseudo_labels"));
        Assert.True(precise.Code == 0, precise.Error);
        Assert.Matches(@"6 images: mIoU \d+\.\d\d, contour F \d+\.\d\d, contour F against the 2 precise masks \d+\.\d\d", precise.Out);
    }
}
