using Hfpl.Tests;
using Hfpl.Samples.Backbones;
using Microsoft.ML.OnnxRuntime;

namespace Hfpl.Samples.Tests.Backbones;

[Collection(ResNet18Collection.Name)]
public sealed class ResNet18InputTests(ResNet18Fixture fixture)
{
    [Fact]
    public void Reverses_channels_scales_and_subtracts_the_mean()
    {
        using var _ = NewDisposeScope();
        var rgb = tensor(new[] { 0.2f, 0.4f, 0.6f }).view(1, 3, 1, 1);
        var input = ResNet18Input.FromRgb(rgb);
        Assert.Equal([1L, 3, 1, 1], input.shape);
        var expected = tensor(new[] { 0.6f * 255 - 103.062624f, 0.4f * 255 - 115.902882f, 0.2f * 255 - 123.151631f }).view(1, 3, 1, 1);
        Assert.True(input.allclose(expected, rtol: 0, atol: 1e-4));
        Assert.True(TensorAssert.Identical(rgb, tensor(new[] { 0.2f, 0.4f, 0.6f }).view(1, 3, 1, 1)), "the input must not change");
    }

    [Fact]
    public void Agrees_with_mlnets_preprocessing_graph_up_to_its_mean_image()
    {
        // ResNetPreprocess.onnx takes RGB on 0-255 and subtracts a 224x224 mean image; ours subtracts that
        // image's channel averages, so the difference averages to zero per channel and stays small.
        var path = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(fixture.OnnxPath))!, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        using var session = new InferenceSession(path);
        using var _ = NewDisposeScope();
        var rgb = SyntheticImage.Rgb(1, 224, 224);
        using var value = OrtValue.CreateTensorValueFromMemory(rgb.mul(255).contiguous().data<float>().ToArray(), rgb.shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [session.InputMetadata.Keys.Single()], [value], [session.OutputMetadata.Keys.Single()]);
        var reference = tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray(), rgb.shape);

        var difference = ResNet18Input.FromRgb(rgb).sub(reference);
        Assert.True(difference.mean([0, 2, 3]).abs().max().item<float>() < 1e-3);
        Assert.True(difference.abs().max().item<float>() < 13);
    }

    [Fact]
    public void Keeps_shape_dtype_and_device()
    {
        using var _ = NewDisposeScope();
        var input = ResNet18Input.FromRgb(rand(2, 3, 5, 7, dtype: float64));
        Assert.Equal([2L, 3, 5, 7], input.shape);
        Assert.Equal(ScalarType.Float64, input.dtype);
    }

    [Fact]
    public void Leaves_no_live_tensors()
    {
        using var rgb = rand(1, 3, 4, 4);
        var live = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        ResNet18Input.FromRgb(rgb).Dispose();
        Assert.Equal(live, DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        using var _ = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => ResNet18Input.FromRgb(rand(3, 4, 4)));
        Assert.Throws<ArgumentException>(() => ResNet18Input.FromRgb(rand(1, 4, 4, 4)));
        Assert.Throws<ArgumentException>(() => ResNet18Input.FromRgb(zeros(1, 3, 4, 4, dtype: int32)));
    }
}
