using Hfpl.Losses;
using Hfpl.Samples.Baselines;
using Hfpl.Samples.Experiments;

namespace Hfpl.Samples.Tests.Experiments;

public class ModelSpecTests
{
    [Fact]
    public void The_machine_names_its_cpu_cores_vector_instructions_and_the_kernel_overrides_that_are_set()
    {
        var plain = Machine.Current(_ => null);
        Assert.False(string.IsNullOrWhiteSpace(plain.Cpu));
        if (File.Exists("/proc/cpuinfo") && File.ReadLines("/proc/cpuinfo").Any(line => line.StartsWith("cpu family")))
            Assert.Matches(@"\(family \d+, model \d+", plain.Cpu); // a model name such as "AMD EPYC" alone does not tell two CPUs apart
        Assert.Equal(Environment.ProcessorCount, plain.LogicalCores);
        Assert.Contains(plain.VectorInstructions, new[] { "AVX-512", "AVX2", "AVX", "SSE2", "AdvSimd", "none" });
        Assert.Empty(plain.KernelOverrides);
        Assert.Equal($"{plain.Cpu}, {plain.LogicalCores} cores, {plain.VectorInstructions}", plain.ToString());
        var pinned = Machine.Current(name => name switch { "ATEN_CPU_CAPABILITY" => "avx2", "ONEDNN_MAX_CPU_ISA" => "", _ => null });
        Assert.Equal(["ATEN_CPU_CAPABILITY=avx2"], pinned.KernelOverrides); // an empty variable is not an override
        Assert.EndsWith(", ATEN_CPU_CAPABILITY=avx2", pinned.ToString());
    }

    [Fact]
    public void Add_on_settings_survive_the_json_next_to_the_checkpoint()
    {
        var folder = Directory.CreateTempSubdirectory("hfpl-spec-").FullName;
        try
        {
            var checkpoint = Path.Combine(folder, "model.bin");
            var spec = new ModelSpec("cam", AddOn: true, "small", 8, 5, Seed: 3,
                new AddOnSettings(Lambda: 0.5, FslWeight: 0.3, Sigma: 1.25, WindowRadius: 4, Features: FeatureResize.Area));
            spec.Save(checkpoint);
            Assert.Equal(spec, ModelSpec.Load(checkpoint));
            Assert.Null(ModelSpec.Read(checkpoint).TrainedOn); // nothing recorded, as in files written before the machine was
            Assert.Throws<FileNotFoundException>(() => ModelSpec.Read(Path.Combine(folder, "none.bin")));
            var machine = new Machine("Some CPU", 2, "AVX2", ["ATEN_CPU_CAPABILITY=avx2"]);
            spec.Save(checkpoint, machine);
            Assert.Equal(spec, ModelSpec.Load(checkpoint)); // the machine is beside the spec, not in it
            var (read, trainedOn) = ModelSpec.Read(checkpoint); // one read gives both, as 'hfpl infer' uses it
            Assert.Equal(spec, read);
            Assert.Equal("Some CPU, 2 cores, AVX2, ATEN_CPU_CAPABILITY=avx2", trainedOn!.ToString());
            var paper = new ModelSpec("cam", AddOn: true, "small", 8, 5, Seed: 3);
            paper.Save(checkpoint);
            Assert.Null(ModelSpec.Load(checkpoint).AddOnSettings);
            Assert.Null(ModelSpec.Read(checkpoint).TrainedOn); // saved again without a machine
            Assert.Equal("lambda 0.5, FSL weight 0.3, sigma 1.25, window 4, area features", spec.AddOnSettings!.ToString());
            Assert.Equal("lambda 0.2, FSL weight 1, sigma 5", new AddOnSettings().ToString());
        }
        finally { Directory.Delete(folder, recursive: true); }
        }

    [Fact]
    public void Baseline_options_survive_the_json_build_the_model_and_are_checked_on_load()
    {
        var folder = Directory.CreateTempSubdirectory("hfpl-spec-").FullName;
        try
        {
            var checkpoint = Path.Combine(folder, "model.bin");
            var spec = new ModelSpec("seam", AddOn: false, "small", 8, 3, Seed: 0, BaselineOptions: new BaselineOptions(SeamViewScale: 0.6));
            spec.Save(checkpoint);
            Assert.Equal(spec, ModelSpec.Load(checkpoint));
            using (var model = (SeamBaseline)ModelSpec.Load(checkpoint).Create())
                Assert.Equal(0.6, model.SecondViewScale);
            // A checkpoint written before the option existed (no such key in its JSON) builds the reference's 0.3.
            File.WriteAllText(checkpoint + ".json", """{"Baseline": "seam", "AddOn": false, "Backbone": "small", "OutputStride": 8, "Classes": 3, "Seed": 0}""");
            using (var model = (SeamBaseline)ModelSpec.Load(checkpoint).Create())
                Assert.Equal(0.3, model.SecondViewScale);
            (spec with { BaselineOptions = new BaselineOptions(1.5) }).Save(checkpoint);
            var error = Assert.Throws<InvalidDataException>(() => ModelSpec.Load(checkpoint));
            Assert.Contains("model.bin.json: the SEAM view scale must be in (0, 1), got 1.5", error.Message);
            Assert.Equal("SEAM view 0.6", spec.BaselineOptions!.ToString());
            Assert.Equal("", new BaselineOptions().ToString());
            Assert.Equal("SEAM view 0.3", new BaselineOptions().Describe()); // the demo's start-up line names the scale even at the default
            Assert.Null(new BaselineOptions(0.6).For("cam"));
            Assert.Null(new BaselineOptions(0.3).For("seam")); // the reference's options are recorded as none, as before they existed
            Assert.Equal(0.6, new BaselineOptions(0.6).For("seam")!.SeamViewScale);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void Describe_names_the_add_on_settings_and_the_baseline_options_that_differ()
    {
        Assert.Equal("no add-on", new ModelSpec("cam", AddOn: false, "small", 8, 3, Seed: 0).Describe());
        Assert.Equal("no add-on; SEAM view 0.6",
            new ModelSpec("seam", AddOn: false, "small", 8, 3, Seed: 0, BaselineOptions: new BaselineOptions(0.6)).Describe());
        // A "++" spec without settings (the paper's defaults, as older checkpoints record them) is still an add-on.
        Assert.Equal("lambda 0.2, FSL weight 1, sigma 5", new ModelSpec("cam", AddOn: true, "small", 8, 3, Seed: 0).Describe());
        Assert.Equal("lambda 0, FSL weight 1, sigma 5, FSL grid x2; SEAM view 0.6",
            new ModelSpec("seam", AddOn: true, "small", 8, 3, Seed: 0, new AddOnSettings(Lambda: 0, GridFactor: 2),
                BaselineOptions: new BaselineOptions(0.6)).Describe());
    }

    [Fact]
    public void The_registry_says_which_baselines_read_baseline_options()
    {
        Assert.False(WsssBaselines.ReadsOptions("cam"));
        Assert.True(WsssBaselines.ReadsOptions("seam"));
        Assert.Equal(["seam"], WsssBaselines.NamesReadingOptions);
        var error = Assert.Throws<ArgumentException>(() => WsssBaselines.ReadsOptions("deeplab"));
        Assert.Equal("name", error.ParamName);
        Assert.Contains("Unknown baseline 'deeplab'", error.Message);
        Assert.Throws<ArgumentException>(() => WsssBaselines.Get("deeplab"));
    }
}
