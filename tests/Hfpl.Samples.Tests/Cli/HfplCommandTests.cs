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

    static (int Code, string Out, string Error) Run(string dll, params string[] args) => Run(dll, new Dictionary<string, string>(), args);

    static (int Code, string Out, string Error) Run(string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    [Theory]
    [InlineData("demo: Unrecognized command or argument '--bogus'", "demo", "--bogus", "1")]
    [InlineData("folder '/no/such/folder' does not exist", "demo", "--data", "/no/such/folder")]
    [InlineData("--steps must be between 1 and 1000000, got 0", "demo", "--steps", "0")]
    [InlineData("--lr must be a number, got 'fast'", "demo", "--lr", "fast")]
    [InlineData("--backbone must be one of small, resnet18, got 'vgg'", "demo", "--backbone", "vgg")]
    [InlineData("train: Required argument missing for option: '--steps'", "train", "--data", "/tmp", "--checkpoint", "/tmp/x.bin", "--steps")]
    [InlineData("train: Option '--data' is required", "train", "--checkpoint", "/tmp/x.bin")]
    [InlineData("Unrecognized command or argument 'fly'", "fly")]
    [InlineData("demo: give --seed or --seeds, not both", "demo", "--seed", "1", "--seeds", "1,2")]
    [InlineData("train: the small backbone has output stride 4, 8, got --output-stride 16", "train", "--data", "/tmp", "--checkpoint", "/tmp/x.bin", "--backbone", "small", "--output-stride", "16")]
    [InlineData("infer: Option '--checkpoint' is required", "infer", "--data", "/tmp", "--out", "/tmp/x")]
    [InlineData("--baseline must be one or more of cam, seam, comma-separated, got 'cam,vgg'", "demo", "--baseline", "cam,vgg")]
    [InlineData("--fsl-features must be one of bilinear, area, got 'nearest'", "demo", "--fsl-features", "nearest")]
    [InlineData("--is-lambda must be between 0 and 1, got 1.5", "demo", "--is-lambda", "1.5")]
    [InlineData("demo: --clip-grad-norm must be a positive number or 'none', got '0'", "demo", "--clip-grad-norm", "0")]
    [InlineData("demo: --seam-view-scale applies to --baseline seam, not cam", "demo", "--seam-view-scale", "0.5")]
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
        foreach (var command in new[] { "demo", "train", "infer", "eval", "report", "check" })
        {
            var (code, output, _) = Run(HfplDll, command, "--help");
            Assert.Equal(0, code);
            Assert.Contains($"hfpl {command}", output);
        }
    }

    [Fact]
    public void Report_merges_comparison_files_and_names_a_bad_one_in_one_line()
    {
        var folder = Directory.CreateTempSubdirectory("hfpl-report-cli-").FullName;
        temporary.Add(folder);
        var all = Experiments.ComparisonReportTests.FourVariants(0, 1);
        var cam = Experiments.ComparisonReportTests.Write(folder, "cam", all.Where(r => r.Spec.Baseline == "cam").ToList());
        var seam = Experiments.ComparisonReportTests.Write(folder, "seam", all.Where(r => r.Spec.Baseline == "seam").ToList());
        var output = Path.Combine(folder, "report");
        var (code, text, error) = Run(HfplDll, "report", cam, seam, "--out", output);
        Assert.True(code == 0, error);
        Assert.Contains("CAM++ - CAM", text);
        Assert.Contains("SEAM++ - SEAM", text);
        Assert.Contains("8 runs from 2 files", text);
        Assert.True(new FileInfo(Path.Combine(output, "miou_vs_threshold.png")).Length > 1000);
        Assert.Equal(text.Split('\n')[..7], File.ReadAllText(Path.Combine(output, "table.txt")).Split('\n')[..7]);

        var missing = Path.Combine(folder, "nothing", "comparison.json");
        (code, text, error) = Run(HfplDll, "report", cam, missing);
        Assert.Equal(1, code);
        Assert.Equal("", text);
        Assert.Equal($"hfpl: No comparison file '{missing}' (hfpl demo writes OUT/comparison.json, hfpl infer OUT/metrics.json).", error.Trim());
        (code, _, error) = Run(HfplDll, "report", cam, cam);
        Assert.Equal(1, code);
        Assert.Contains("CAM seed 0 is in more than one file", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
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
        // When the regular load fails, TorchSharp 0.107 copies the natives of the libtorch-cpu-linux-x64 package from the
        // NuGet cache ($NUGET_PACKAGES, else ~/.nuget/packages) into a cpu/ folder next to TorchSharp.dll and loads them
        // from there. On a machine that has restored the package that repairs the copy, and the check would prove
        // nothing; so the copy runs with both places pointing at an empty folder, as on a machine without the cache.
        var emptyHome = Path.Combine(copy, "empty-home");
        Directory.CreateDirectory(emptyHome);
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = emptyHome, ["HOME"] = emptyHome, ["DOTNET_CLI_HOME"] = emptyHome };
        var (code, _, error) = Run(Path.Combine(copy, "hfpl.dll"), environment, "check");
        Assert.False(File.Exists(Path.Combine(copy, "cpu", "libtorch_cpu.so")), "TorchSharp restored libtorch_cpu.so from a package cache");
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
        Assert.Contains("CAM++ (lambda 0.05, FSL weight 2, sigma 5, no samples from padding, straight-through FSL gradient): trained 3 steps", train.Out);
        Assert.Matches(@"; gradient clipped to 10 on [0-3] steps; ", train.Out); // CAM's default on photographs
        Assert.True(File.Exists(checkpoint) && File.Exists(checkpoint + ".json"));

        var output = Path.Combine(root, "infer");
        var infer = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", output, "--scales", "1");
        Assert.True(infer.Code == 0, infer.Error);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(output, "pseudo_labels"), "*.png").Length);
        Assert.True(File.Exists(Path.Combine(output, "metrics.json")));
        // Both machines are recorded beside the numbers: the one that trained (from the checkpoint's JSON) and the one that inferred.
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")))!;
        var machine = Hfpl.Samples.Experiments.Machine.Current();
        foreach (var key in new[] { "trainedOn", "inferredOn" })
        {
            Assert.Equal(machine.Cpu, (string?)metrics[key]!["cpu"]);
            Assert.Equal(machine.VectorInstructions, (string?)metrics[key]!["vectorInstructions"]);
        }

        var eval = Run(HfplDll, "eval", "--data", data, "--pred", Path.Combine(output, "pseudo_labels"));
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Matches(@"^6 images: mIoU \d+\.\d\d, contour F \(all / present classes\) \d+\.\d\d / \d+\.\d\d$", eval.Out.Trim());

        // Precise masks for two images: eval scores contours against them too.
        Directory.CreateDirectory(Path.Combine(data, "masks_hq"));
        foreach (var mask in Directory.GetFiles(Path.Combine(data, "masks")).Order().Take(2))
            File.Copy(mask, Path.Combine(data, "masks_hq", Path.GetFileName(mask)));
        var precise = Run(HfplDll, "eval", "--data", data, "--pred", Path.Combine(output, "pseudo_labels"));
        Assert.True(precise.Code == 0, precise.Error);
        Assert.Matches(@"6 images: mIoU \d+\.\d\d, contour F \(all / present classes\) \d+\.\d\d / \d+\.\d\d, against the 2 precise masks \d+\.\d\d / \d+\.\d\d", precise.Out);
    }

    /// <summary>An MSRC-layout folder whose every class is labelled: the synthetic class 0 is called "grass" and is no background.</summary>
    string AllLabelledFolder()
    {
        var root = Path.Combine(Path.GetTempPath(), "hfpl-cli-" + Guid.NewGuid().ToString("N"));
        temporary.Add(root);
        var data = Path.Combine(root, "data");
        new Hfpl.Samples.Data.SyntheticDataset(new() { Seed = 8, Count = 6, Width = 48, Height = 40 }).WriteMsrcLayout(data);
        File.WriteAllText(Path.Combine(data, "classes.json"), """{"classes": ["grass", "beetle", "leaf", "crystal", "slug", "tile"]}""");
        return root;
    }

    [Fact]
    public void Objects_on_background_train_infer_and_eval_with_the_checkpoints_protocol()
    {
        var root = AllLabelledFolder();
        var data = Path.Combine(root, "data");
        var checkpoint = Path.Combine(root, "model.bin");
        var train = Run(HfplDll, "train", "--data", data, "--checkpoint", checkpoint, "--backbone", "small", "--addon", "--steps", "2",
            "--batch", "2", "--crop", "40", "--background-classes", "grass", "--fsl-grid-factor", "2", "--fsl-sigma", "10px");
        Assert.True(train.Code == 0, train.Error);
        // Stride 8, grid factor 2: 10 pixels are 2.5 cells of the 4-pixel FSL grid.
        Assert.Contains("CAM++ (lambda 0.05, FSL weight 2, sigma 2.5, FSL grid x2, no samples from padding, straight-through FSL gradient): trained 2 steps", train.Out);
        Assert.DoesNotContain("no background class", train.Error);
        var spec = Hfpl.Samples.Experiments.ModelSpec.Load(checkpoint);
        // Photographs' defaults: a 5 % importance sampling share, padding never sampled, the straight-through gradient.
        Assert.Equal(0.05, spec.AddOnSettings!.Lambda);
        Assert.True(spec.AddOnSettings.MaskSampling);
        Assert.Equal(5, spec.Classes);
        Assert.Equal(["grass"], spec.BackgroundClasses);
        Assert.Null(spec.BaselineOptions); // CAM reads none of SEAM's options, so its checkpoint records none.
        Assert.Equal(2, spec.AddOnSettings!.GridFactor);
        Assert.Equal(MaxNormGradient.StraightThrough, spec.AddOnSettings.Gradient);
        Assert.Equal((int)Math.Round(Math.Sqrt(40 * 69.0)), spec.InferenceLongSide);

        // Infer reads the data as the checkpoint was trained: objects on background, so there is a threshold sweep.
        var infer = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", Path.Combine(root, "infer"), "--scales", "1");
        Assert.True(infer.Code == 0, infer.Error);
        Assert.Matches(@"CAM\+\+: 6 images, 6 scored: mIoU \d+\.\d\d at threshold 0\.\d\d, contour F \(all / present classes\)", infer.Out);

        var eval = Run(HfplDll, "eval", "--data", data, "--pred", Path.Combine(root, "infer", "pseudo_labels"), "--background-classes", "grass");
        Assert.True(eval.Code == 0, eval.Error);

        // --contour-thresholds scores the pseudo-labels at extra thresholds: the point at 0.3 is what --threshold 0.3 reports.
        var curve = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", Path.Combine(root, "curve"), "--scales", "1",
            "--no-cams", "--overlays", "0", "--contour-thresholds", "0.05,0.3");
        Assert.True(curve.Code == 0, curve.Error);
        var fixedAt = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", Path.Combine(root, "fixed"), "--scales", "1",
            "--no-cams", "--overlays", "0", "--threshold", "0.3");
        Assert.True(fixedAt.Code == 0, fixedAt.Error);
        using (var withCurve = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "curve", "metrics.json"))))
        using (var atThreshold = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "fixed", "metrics.json"))))
        {
            var points = withCurve.RootElement.GetProperty("report").GetProperty("contourCurve").EnumerateArray().ToArray();
            Assert.Equal([0.05, 0.3], points.Select(p => p.GetProperty("threshold").GetDouble()));
            var expected = atThreshold.RootElement.GetProperty("report").GetProperty("contourF");
            foreach (var key in new[] { "allClasses", "presentClasses" })
                Assert.Equal(expected.GetProperty(key).GetDouble(), points[1].GetProperty("contourF").GetProperty(key).GetDouble());
            // The two thresholds decode different pseudo-labels on these images: the curve is not one value repeated.
            Assert.NotEqual(points[0].GetProperty("contourF").GetProperty("presentClasses").GetDouble(),
                points[1].GetProperty("contourF").GetProperty("presentClasses").GetDouble());
            Assert.Empty(atThreshold.RootElement.GetProperty("report").GetProperty("contourCurve").EnumerateArray());
        }
        // --contour-sweep scores every threshold of the mIoU sweep (with the extra ones, in order) and reports each contour measure at its best.
        var sweep = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", Path.Combine(root, "sweep"), "--scales", "1",
            "--no-cams", "--overlays", "0", "--contour-sweep", "--contour-thresholds", "0.3,0.615");
        Assert.True(sweep.Code == 0, sweep.Error);
        Assert.Matches(@"; at each one's best threshold: contour F \d+\.\d\d / \d+\.\d\d \(0\.\d\d / 0\.\d\d\); wrote", sweep.Out);
        using (var swept = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "sweep", "metrics.json"))))
        {
            var report = swept.RootElement.GetProperty("report");
            var points = report.GetProperty("contourCurve").EnumerateArray().ToArray();
            Assert.Equal(Hfpl.Samples.Inference.PseudoLabelEvaluation.SweepThresholds.Append(0.615), points.Select(p => p.GetProperty("threshold").GetDouble()));
            var present = points.Select(p => p.GetProperty("contourF").GetProperty("presentClasses").GetDouble()).Take(60).ToArray();
            var best = report.GetProperty("bestContourF");
            Assert.Equal(Math.Max(present.Max(), report.GetProperty("contourF").GetProperty("presentClasses").GetDouble()),
                best.GetProperty("contourF").GetProperty("presentClasses").GetDouble());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, best.GetProperty("preciseContourF").ValueKind);
        }
        using (var withCurve = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "curve", "metrics.json"))))
            Assert.Equal(System.Text.Json.JsonValueKind.Null, withCurve.RootElement.GetProperty("report").GetProperty("bestContourF").ValueKind);
        var badCurve = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", Path.Combine(root, "x"), "--contour-thresholds", "0.1,1.5");
        Assert.Equal(2, badCurve.Code);
        Assert.Contains("--contour-thresholds must be a comma-separated list of numbers in 0..1, got '0.1,1.5'", badCurve.Error);
        var noBackground = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", Path.Combine(root, "x"), "--contour-thresholds", "0.1",
            "--background-classes", "none");
        Assert.Equal(2, noBackground.Code);
        Assert.Contains("infer: --contour-thresholds needs data with a background class", noBackground.Error);
        var noBackgroundSweep = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", Path.Combine(root, "x"), "--contour-sweep",
            "--background-classes", "none");
        Assert.Equal(2, noBackgroundSweep.Code);
        Assert.Contains("infer: --contour-sweep needs data with a background class", noBackgroundSweep.Error);

        // Without --scales: the four default scales (an absent option must not read as "no scale").
        var defaults = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", Path.Combine(root, "defaults"), "--no-cams");
        Assert.True(defaults.Code == 0, defaults.Error);
        using (var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "defaults", "metrics.json"))))
            Assert.Equal([0.5, 1, 1.5, 2], metrics.RootElement.GetProperty("scales").EnumerateArray().Select(e => e.GetDouble()));

        // Read with every class as it is, the data has 6 classes and the checkpoint 5: one line, exit 1.
        var mismatch = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", Path.Combine(root, "x"), "--background-classes", "none");
        Assert.Equal(1, mismatch.Code);
        Assert.Contains("checkpoint has 5 classes, the data 6", mismatch.Error);
        Assert.Single(mismatch.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--background-classes: background class 'moss' is not a class of data", "--background-classes", "moss")]
    [InlineData("--split: ", "--split", "val")]
    [InlineData("--fsl-sigma must be a positive number of cells, a number of pixels such as 40px, or none, got 'wide'", "--addon", "--fsl-sigma", "wide")]
    [InlineData("train: --seam-view-scale applies to --baseline seam, not cam", "--seam-view-scale", "0.5")]
    [InlineData("train: --seam-view-scale must be 'crop' or a number in (0, 1), got '1'", "--baseline", "seam", "--seam-view-scale", "1")]
    public void Data_options_that_do_not_fit_the_folder_give_one_line_and_exit_code_2(string message, params string[] extra)
    {
        var root = AllLabelledFolder();
        var (code, output, error) = Run(HfplDll, ["train", "--data", Path.Combine(root, "data"), "--checkpoint", Path.Combine(root, "m.bin"),
            "--backbone", "small", "--steps", "1", .. extra]);
        Assert.Equal(2, code);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(message, lines[0]);
        Assert.Equal("", output);
    }

    [Fact]
    public void Broken_checkpoints_and_predictions_give_one_line_naming_the_file_and_exit_code_1()
    {
        var root = AllLabelledFolder();
        var data = Path.Combine(root, "data");
        var checkpoint = Path.Combine(root, "model.bin");
        var train = Run(HfplDll, "train", "--data", data, "--checkpoint", checkpoint, "--backbone", "small", "--steps", "1", "--batch", "2", "--crop", "40");
        Assert.True(train.Code == 0, train.Error);
        Assert.Contains("CAM (no add-on): trained 1 steps", train.Out);
        Assert.DoesNotContain("no background class", train.Error); // the plain baseline gets no note
        var good = File.ReadAllBytes(checkpoint);
        var json = File.ReadAllText(checkpoint + ".json");

        void Expect(string message, string file, params string[] args)
        {
            var (code, output, error) = Run(HfplDll, args);
            var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(code == 1, $"exit {code}: {error}");
            Assert.Single(lines);
            Assert.StartsWith("hfpl: ", lines[0]);
            Assert.Contains(message, lines[0]);
            Assert.Contains(file, lines[0]);
            Assert.DoesNotContain("   at ", error);
        }
        string[] Infer() => ["infer", "--data", data, "--checkpoint", checkpoint, "--out", Path.Combine(root, "out"), "--scales", "1"];

        File.WriteAllBytes(checkpoint, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        Expect("not the weights of a CAM", checkpoint, Infer());
        File.WriteAllBytes(checkpoint, good[..(good.Length / 2)]);
        Expect("not the weights of a CAM", checkpoint, Infer());
        File.WriteAllBytes(checkpoint, good);

        File.WriteAllText(checkpoint + ".json", "{}");
        Expect("baseline '' is not one of cam, seam", checkpoint + ".json", Infer());
        File.WriteAllText(checkpoint + ".json", "{\"Baseline\": ");
        Expect("not a model description", checkpoint + ".json", Infer());
        File.WriteAllText(checkpoint + ".json", json.Replace("\"small\"", "\"resnet18\"").Replace("\"OutputStride\": 8", "\"OutputStride\": 16"));
        Expect("not the weights of a CAM with a resnet18 backbone and 6 classes", checkpoint, Infer());
        File.WriteAllText(checkpoint + ".json", json.Replace("\"Classes\": 6", "\"Classes\": 5"));
        Expect("checkpoint has 5 classes, the data 6", checkpoint, Infer());
        File.WriteAllText(checkpoint + ".json", json);

        var infer = Run(HfplDll, Infer());
        Assert.True(infer.Code == 0, infer.Error);
        var predictions = Path.Combine(root, "out", "pseudo_labels");
        var first = Directory.GetFiles(predictions).Order().First();
        var mask = Hfpl.Samples.Data.MaskFile.Read(first);
        mask.Values[0] = 17;
        Hfpl.Samples.Data.PngWriter.WriteGray(first, mask);
        Expect("value 17 is neither a class (0..5) nor void (255)", Path.GetFileName(first), "eval", "--data", data, "--pred", predictions);
    }

    [Fact]
    public void A_folder_that_is_no_dataset_is_a_usage_error()
    {
        var empty = Path.Combine(Path.GetTempPath(), "hfpl-cli-" + Guid.NewGuid().ToString("N"));
        temporary.Add(empty);
        Directory.CreateDirectory(empty);
        var (code, _, error) = Run(HfplDll, "eval", "--data", empty, "--pred", empty);
        Assert.Equal(2, code);
        Assert.Contains("--data: ", error);
        Assert.Contains("is neither a VOC 2012 folder", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The shape in a .npy header, and its dtype.</summary>
    static (string Descr, long[] Shape) NpyHeader(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        var length = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, (10 + length) % 64);
        var header = System.Text.Encoding.ASCII.GetString(bytes, 10, length);
        var descr = System.Text.RegularExpressions.Regex.Match(header, "'descr': '([^']+)'").Groups[1].Value;
        var shape = System.Text.RegularExpressions.Regex.Match(header, @"'shape': \(([^)]*)\)").Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        var itemSize = descr == "<f4" ? 4 : 8;
        Assert.Equal(10 + length + shape.Aggregate(1L, (a, b) => a * b) * itemSize, bytes.Length);
        return (descr, shape);
    }

    [Fact]
    public void Photographs_with_only_a_labels_file_go_through_train_and_infer_to_pseudo_labels_cams_and_overlays()
    {
        var root = Path.Combine(Path.GetTempPath(), "hfpl-cli-" + Guid.NewGuid().ToString("N"));
        temporary.Add(root);
        using var folder = new Hfpl.Samples.Tests.Data.TempFolder();
        var (data, source) = Hfpl.Samples.Tests.Data.ImageLabelsFileTests.LabelsOnlyFolder(folder);
        var checkpoint = Path.Combine(root, "model.bin");
        var train = Run(HfplDll, "train", "--data", data, "--checkpoint", checkpoint, "--backbone", "small", "--addon", "--steps", "2", "--batch", "2", "--crop", "40");
        Assert.True(train.Code == 0, train.Error);

        var output = Path.Combine(root, "infer");
        var infer = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", output, "--scales", "1");
        Assert.True(infer.Code == 0, infer.Error);
        Assert.Contains("6 images, none with a mask: pseudo-labels at threshold 0.25, nothing scored", infer.Out);
        foreach (var sample in source)
        {
            Assert.True(File.Exists(Path.Combine(output, "pseudo_labels", sample.Id + ".png")));
            Assert.True(File.Exists(Path.Combine(output, "overlays", sample.Id + ".png")));
            var labelled = sample.PresentClasses.Count(c => c != 0);
            var (camType, camShape) = NpyHeader(Path.Combine(output, "cams", sample.Id + ".npy"));
            Assert.Equal("<f4", camType);
            Assert.Equal([labelled, 40, 48], camShape);
            var (keyType, keyShape) = NpyHeader(Path.Combine(output, "cams", sample.Id + ".keys.npy"));
            Assert.Equal("<i8", keyType);
            Assert.Equal([labelled], keyShape);
        }
        using var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        var report = metrics.RootElement.GetProperty("report");
        Assert.Equal(0, report.GetProperty("scoredImages").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, report.GetProperty("meanIoU").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, report.GetProperty("contourF").GetProperty("allClasses").ValueKind);
        Assert.Equal("cam", metrics.RootElement.GetProperty("model").GetProperty("baseline").GetString());

        // The same folder with masks: the images are scored too.
        new Hfpl.Samples.Data.SyntheticDataset(new() { Seed = 9, Count = 6, Width = 48, Height = 40 }).WriteMsrcLayout(Path.Combine(root, "with-masks"));
        Directory.Move(Path.Combine(root, "with-masks", "masks"), Path.Combine(data, "masks"));
        var scored = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", Path.Combine(root, "scored"), "--scales", "1", "--no-cams");
        Assert.True(scored.Code == 0, scored.Error);
        Assert.Matches(@"CAM\+\+: 6 images, 6 scored: mIoU \d+\.\d\d at threshold", scored.Out);
        Assert.False(Directory.Exists(Path.Combine(root, "scored", "cams")));
    }

    [Fact]
    public void Training_the_add_on_on_data_without_a_background_class_prints_one_note_and_goes_on()
    {
        var root = AllLabelledFolder();
        var data = Path.Combine(root, "data");
        var train = Run(HfplDll, "train", "--data", data, "--checkpoint", Path.Combine(root, "m.bin"), "--backbone", "small", "--addon",
            "--steps", "1", "--batch", "2", "--crop", "40");
        Assert.True(train.Code == 0, train.Error);
        var notes = train.Error.Split('\n').Where(l => l.Contains("note:")).ToList();
        var note = Assert.Single(notes);
        Assert.StartsWith("hfpl train: note: ", note);
        Assert.Contains("has no background class", note);
        Assert.Contains("--background-classes", note);
        Assert.Contains("trained 1 steps", train.Out);
    }

    [Fact]
    public void Shards_split_the_images_and_their_outputs_together_are_every_image_once()
    {
        var root = AllLabelledFolder();
        var data = Path.Combine(root, "data");
        var checkpoint = Path.Combine(root, "model.bin");
        Assert.Equal(0, Run(HfplDll, "train", "--data", data, "--checkpoint", checkpoint, "--backbone", "small", "--steps", "1", "--batch", "2", "--crop", "40").Code);
        var names = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var output = Path.Combine(root, $"shard{i}");
            var run = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", output, "--scales", "1", "--shard", $"{i}/4");
            Assert.True(run.Code == 0, run.Error);
            Assert.Contains($"(shard {i}/4:", run.Out);
            names.AddRange(Directory.GetFiles(Path.Combine(output, "pseudo_labels")).Select(Path.GetFileName)!);
        }
        var all = Directory.GetFiles(Path.Combine(data, "images")).Select(f => Path.GetFileNameWithoutExtension(f) + ".png").Order();
        Assert.Equal(all, names.Order());
        var bad = Run(HfplDll, "infer", "--data", data, "--checkpoint", checkpoint, "--out", Path.Combine(root, "x"), "--shard", "4/4");
        Assert.Equal(2, bad.Code);
        Assert.Contains("--shard: a shard is i/n with 0 <= i < n", bad.Error);
    }

    [Theory]
    [InlineData("cuda", 3, "asked for CUDA, but the libtorch this application loaded has no CUDA device")]
    [InlineData("cuda:1", 3, "TorchSharp-cuda-linux")]
    [InlineData("gpu", 2, "--device: device must be cpu, cuda or cuda:N, got 'gpu'")]
    public void Asking_for_a_device_that_is_not_there_is_one_line_naming_the_fix(string device, int code, string message)
    {
        var root = AllLabelledFolder();
        var run = Run(HfplDll, "train", "--data", Path.Combine(root, "data"), "--checkpoint", Path.Combine(root, "m.bin"), "--backbone", "small",
            "--steps", "1", "--device", device);
        Assert.Equal(code, run.Code);
        Assert.Contains(message, run.Error);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
