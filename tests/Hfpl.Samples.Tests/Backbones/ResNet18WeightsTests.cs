using Hfpl.Tests;
using System.Diagnostics;
using Hfpl.Samples.Backbones;
using Xunit.Abstractions;

namespace Hfpl.Samples.Tests.Backbones;

[Collection(ResNet18Collection.Name)]
public sealed class ResNet18WeightsTests(ResNet18Fixture fixture, ITestOutputHelper output)
{
    const double Tolerance = 1e-4;
    static readonly string[] MapNames = ["stem", "layer1", "layer2", "layer3", "layer4", "pooled"];

    [Fact]
    public void Matches_onnx_runtime_at_the_graphs_own_input_shape()
    {
        using var reference = ResNet18Reference.Create(fixture.OnnxPath, freeShape: false);
        Assert.Equal([1L, 3, 224, 224], reference.InputShape);
        Assert.Equal(6, reference.OutputNames.Count);

        using var _ = NewDisposeScope();
        var input = ResNet18Input.FromRgb(SyntheticImage.Rgb(1, 224, 224));
        var expected = reference.Run(input);
        using var features = fixture.Model.forward_stages(input);
        Tensor[] actual = [.. features.All, features.Layer4.mean([2, 3], keepdim: true)];
        for (var i = 0; i < expected.Length; i++)
        {
            var error = TensorAssert.CloseToScale(actual[i], expected[i], Tolerance, MapNames[i]);
            output.WriteLine($"224x224 {MapNames[i]} [{string.Join(", ", expected[i].shape)}]: relative max error {error:E2}");
        }
    }

    [Fact]
    public void Matches_onnx_runtime_on_a_rectangular_batch()
    {
        // Freed input shape: shows that symmetric padding reproduces the graph's pads away from 224x224 too.
        using var reference = ResNet18Reference.Create(fixture.OnnxPath, freeShape: true);
        using var _ = NewDisposeScope();
        var input = ResNet18Input.FromRgb(SyntheticImage.Rgb(2, 160, 256));
        var expected = reference.Run(input);
        using var features = fixture.Model.forward_stages(input);
        Assert.Equal([2L, 512, 5, 8], features.Layer4.shape);
        for (var i = 0; i < expected.Length; i++)
        {
            var error = TensorAssert.CloseToScale(features.All[i], expected[i], Tolerance, MapNames[i]);
            output.WriteLine($"2x160x256 {MapNames[i]}: relative max error {error:E2}");
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(8)]
    public void Loads_the_same_weights_at_every_output_stride(int outputStride)
    {
        using var dilated = ResNet18.Pretrained(outputStride, onnxPath: fixture.OnnxPath);
        var expected = fixture.Model.state_dict();
        var actual = dilated.state_dict();
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, value) in expected)
            Assert.True(TensorAssert.Identical(value, actual[name]), $"{name} differs at output stride {outputStride}.");
    }

    [Fact]
    public void Loads_in_well_under_a_few_seconds()
    {
        var clock = Stopwatch.StartNew();
        using var model = ResNet18.Pretrained(onnxPath: fixture.OnnxPath);
        output.WriteLine($"first load (fixture, cold): {fixture.LoadTime.TotalMilliseconds:F0} ms; this load: {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Loading took {clock.Elapsed}.");
    }

    [Fact]
    public void Loads_buffers_not_just_parameters()
    {
        var norm = fixture.Model.StemLayer.Norm;
        Assert.False(norm.running_mean!.eq(0).all().item<bool>());
        Assert.False(norm.running_var!.eq(1).all().item<bool>());
    }

    [Fact]
    public void Missing_file_says_to_restore()
    {
        using var model = new ResNet18();
        var error = Assert.Throws<FileNotFoundException>(() => ResNet18Weights.Load(model, "/nonexistent/ResNet18.onnx"));
        Assert.Contains("dotnet restore", error.Message);
    }

    [Fact]
    public void Another_graph_is_rejected()
    {
        var preprocess = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(fixture.OnnxPath))!, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        using var model = new ResNet18();
        Assert.Throws<InvalidDataException>(() => ResNet18Weights.Load(model, preprocess));
    }

    [Fact]
    public void Path_override_wins_and_must_exist()
    {
        Assert.Equal(fixture.OnnxPath, ResNet18Weights.ResolveOnnxPath(fixture.OnnxPath, "/nonexistent/a.onnx", "/nonexistent/b.onnx"));
        var error = Assert.Throws<FileNotFoundException>(() => ResNet18Weights.ResolveOnnxPath("/nonexistent/x.onnx", fixture.OnnxPath, fixture.OnnxPath));
        Assert.Contains(ResNet18Weights.PathVariable, error.Message);
    }

    [Fact]
    public void Path_falls_back_from_build_time_location_to_package_folder()
    {
        Assert.Equal(fixture.OnnxPath, ResNet18Weights.ResolveOnnxPath(null, fixture.OnnxPath, "/nonexistent/b.onnx"));
        Assert.Equal(fixture.OnnxPath, ResNet18Weights.ResolveOnnxPath("", "/nonexistent/a.onnx", fixture.OnnxPath));
        Assert.Equal(fixture.OnnxPath, ResNet18Weights.ResolveOnnxPath(null, null, fixture.OnnxPath));
        var error = Assert.Throws<FileNotFoundException>(() => ResNet18Weights.ResolveOnnxPath(null, "/nonexistent/a.onnx", "/nonexistent/b.onnx"));
        Assert.Contains("dotnet restore", error.Message);
        Assert.Contains("/nonexistent/a.onnx", error.Message);
        Assert.Contains("/nonexistent/b.onnx", error.Message);
    }
}
