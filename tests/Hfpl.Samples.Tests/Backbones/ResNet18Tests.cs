using Hfpl.Tests;
using Hfpl.Samples.Backbones;
using TorchSharp.Modules;
using Xunit.Abstractions;

namespace Hfpl.Samples.Tests.Backbones;

[Collection(ResNet18Collection.Name)]
public sealed class ResNet18Tests(ResNet18Fixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Stages_have_the_documented_shapes()
    {
        using var _ = NewDisposeScope();
        using var model = new ResNet18();
        using var features = model.forward_stages(randn(2, 3, 64, 96));
        Assert.Equal([2L, 64, 32, 48], features.Stem.shape);
        Assert.Equal([2L, 64, 16, 24], features.Layer1.shape);
        Assert.Equal([2L, 128, 8, 12], features.Layer2.shape);
        Assert.Equal([2L, 256, 4, 6], features.Layer3.shape);
        Assert.Equal([2L, ResNet18.FeatureChannels, 2, 3], features.Layer4.shape);
    }

    [Fact]
    public void Forward_returns_the_last_stage()
    {
        using var _ = NewDisposeScope();
        var input = ResNet18Input.FromRgb(SyntheticImage.Rgb(1, 64, 64));
        using var features = fixture.Model.forward_stages(input);
        Assert.True(TensorAssert.Identical(fixture.Model.forward(input), features.Layer4));
    }

    [Theory]
    [InlineData(32, 448, 40, 14, 2)]
    [InlineData(16, 448, 40, 28, 3)]
    [InlineData(8, 448, 40, 56, 5)]
    [InlineData(32, 65, 97, 3, 4)]
    [InlineData(16, 65, 97, 5, 7)]
    [InlineData(8, 65, 97, 9, 13)]
    public void Output_grid_is_input_over_output_stride_rounded_up(int outputStride, int height, int width, int h, int w)
    {
        using var _ = NewDisposeScope();
        using var model = new ResNet18(outputStride);
        Assert.Equal(outputStride, model.OutputStride);
        Assert.Equal([1L, 512, h, w], model.forward(randn(1, 3, height, width)).shape);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(8)]
    public void Dilated_map_sampled_at_the_old_stride_equals_the_undilated_map(int outputStride)
    {
        // Dilation must only densify the grid: every (32/os)-th cell is the os-32 port's cell, which is
        // itself checked against ONNX Runtime.
        using var _ = NewDisposeScope();
        using var dilated = new ResNet18(outputStride);
        dilated.load_state_dict(fixture.Model.state_dict());
        var input = ResNet18Input.FromRgb(SyntheticImage.Rgb(1, 96, 128));
        var expected = fixture.Model.forward(input);
        var dense = dilated.forward(input);
        var step = 32 / outputStride;
        Assert.Equal([1L, 512, 3 * step, 4 * step], dense.shape);
        var error = TensorAssert.CloseToScale(dense.slice(2, 0, dense.shape[2], step).slice(3, 0, dense.shape[3], step), expected, 1e-4, $"os {outputStride}");
        output.WriteLine($"os {outputStride} sampled vs os 32: relative max error {error:E2}");
    }

    [Fact]
    public void Output_stride_changes_neither_parameter_names_nor_shapes()
    {
        using var os32 = new ResNet18(32);
        using var os8 = new ResNet18(8);
        Assert.Equal(os32.state_dict().Select(p => (p.Key, string.Join("x", p.Value.shape))),
                     os8.state_dict().Select(p => (p.Key, string.Join("x", p.Value.shape))));
    }

    [Fact]
    public void Uses_torchvision_names_with_three_blocks_in_the_last_stage()
    {
        using var model = new ResNet18();
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.Equal(22 + 2 * 22, names.Count);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("conv1.weight", names);
        Assert.Contains("layer2.0.downsample.0.weight", names);
        Assert.Contains("layer4.2.bn2.bias", names);
        Assert.DoesNotContain("layer1.0.downsample.0.weight", names);
    }

    [Theory]
    [InlineData(BatchNormMode.Trainable)]
    [InlineData(BatchNormMode.FrozenStatistics)]
    [InlineData(BatchNormMode.Frozen)]
    public void Batch_norm_starts_in_eval_mode_and_train_respects_the_mode(BatchNormMode mode)
    {
        using var model = new ResNet18(batchNorm: mode);
        var norms = model.modules().OfType<BatchNorm2d>().ToList();
        Assert.Equal(22, norms.Count);
        Assert.All(norms, n => Assert.False(n.training));

        model.train();
        Assert.All(norms, n => Assert.Equal(mode == BatchNormMode.Trainable, n.training));
        Assert.All(norms, n => Assert.Equal(mode != BatchNormMode.Frozen, n.weight!.requires_grad && n.bias!.requires_grad));
        Assert.All(model.modules().OfType<Conv2d>(), c => Assert.True(c.weight!.requires_grad));

        model.eval();
        Assert.All(norms, n => Assert.False(n.training));
    }

    [Fact]
    public void Frozen_statistics_do_not_move_in_training()
    {
        using var _ = NewDisposeScope();
        using var model = new ResNet18(batchNorm: BatchNormMode.FrozenStatistics);
        var input = randn(2, 3, 32, 32);
        var before = model.forward(input);
        var mean = model.StemLayer.Norm.running_mean!.clone();
        model.train();
        var during = model.forward(input);
        Assert.True(TensorAssert.Identical(mean, model.StemLayer.Norm.running_mean!));
        Assert.True(before.allclose(during));
    }

    [Fact]
    public void Trainable_batch_norm_updates_statistics_in_training()
    {
        // The counterpart of the test above, so that test cannot pass by accident.
        using var _ = NewDisposeScope();
        using var model = new ResNet18(batchNorm: BatchNormMode.Trainable);
        var mean = model.StemLayer.Norm.running_mean!.clone();
        model.train();
        model.forward(randn(2, 3, 32, 32));
        Assert.False(TensorAssert.Identical(mean, model.StemLayer.Norm.running_mean!));
    }

    [Fact]
    public void Forward_and_stages_leave_no_live_tensors()
    {
        using var model = new ResNet18();
        using var input = randn(1, 3, 32, 32);
        var live = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        using (model.forward(input)) { }
        using (model.forward_stages(input)) { }
        Assert.Equal(live, DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResNet18(outputStride: 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResNet18(batchNorm: (BatchNormMode)7));
        using var _ = NewDisposeScope();
        using var model = new ResNet18();
        Assert.Throws<ArgumentException>(() => model.forward(randn(1, 1, 32, 32)));
        Assert.Throws<ArgumentException>(() => model.forward(randn(3, 32, 32)));
        Assert.Throws<ArgumentException>(() => model.forward_stages(randn(3, 32, 32)));
    }
}
