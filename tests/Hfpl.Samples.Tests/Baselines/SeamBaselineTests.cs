using Hfpl.Samples.Backbones;
using Hfpl.Samples.Baselines;
using Hfpl.Samples.Data;
using Hfpl.Samples.Training;

namespace Hfpl.Samples.Tests.Baselines;

public class SeamBaselineTests
{
    [Fact]
    public void Seam_and_seam_plus_plus_report_their_terms_and_infer_refined_cams()
    {
        torch.manual_seed(0);
        using var images = torch.rand([2, 3, 48, 48]);
        using var labels = torch.tensor(new float[,] { { 1, 0, 1 }, { 0, 1, 0 } });
        using var seam = new SeamBaseline(new SmallCnn(8), 3);
        using var plus = new SeamBaseline(new SmallCnn(8), 3, new HfplAddOn(seed: 0));
        using (var terms = seam.TrainingLosses(images, labels))
            Assert.Equal(["cls", "minpool", "er", "ecr"], terms.Terms.Select(t => t.Name));
        using (var terms = plus.TrainingLosses(images, labels))
            Assert.Equal(["fsl", "cls", "minpool", "er", "ecr"], terms.Terms.Select(t => t.Name));
        using var cams = seam.InferenceCams(images);
        Assert.Equal(new long[] { 2, 3, 48, 48 }, cams.shape);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_feature_similarity_loss_trains_the_classifier_on_logits_and_only_the_pcm_on_refined_maps(bool onRefined)
    {
        torch.manual_seed(0);
        using var images = torch.rand([2, 3, 48, 48]);
        using var labels = torch.tensor(new float[,] { { 1, 0, 1 }, { 0, 1, 1 } });
        using var plus = new SeamBaseline(new SmallCnn(8), 3, new HfplAddOn(lambda: 0, seed: 0, fslOnRefined: onRefined));
        using var terms = plus.TrainingLosses(images, labels);
        terms.Terms.Single(t => t.Name == "fsl").Value.backward();
        double GradientNorm(string prefix) => plus.named_parameters().Where(p => p.name.StartsWith(prefix))
            .Sum(p => p.parameter.grad is { } g ? g.abs().sum().item<float>() : 0);
        Assert.Equal(!onRefined, GradientNorm("classifier") > 0);
        Assert.Equal(onRefined, GradientNorm("pcm") > 0);
    }

    [Fact]
    public void A_few_training_steps_on_generated_data_reduce_the_loss()
    {
        var data = new SyntheticDataset(new SyntheticOptions { Seed = 4, Count = 16, Width = 48, Height = 48 }).ToList();
        torch.manual_seed(0);
        using var model = new SeamBaseline(new SmallCnn(16), data[0].Labels.Count, new HfplAddOn(seed: 0));
        var report = Trainer.Train(model, data, new TrainingOptions { Steps = 30, BatchSize = 8, CropSize = 48, LearningRate = 0.003 });
        double Total(IReadOnlyDictionary<string, double> terms) => terms.Values.Sum();
        Assert.True(Total(report.LastLosses) < Total(report.FirstLosses),
            $"SEAM++ loss did not fall: {Total(report.FirstLosses):F4} -> {Total(report.LastLosses):F4}");
    }

    [Theory]
    [InlineData(448, 0.3)]
    [InlineData(224, 0.6)]
    [InlineData(320, 0.42)]
    [InlineData(160, 0.75)]
    [InlineData(96, 0.75)]
    [InlineData(1024, 0.3)]
    public void The_second_view_keeps_the_references_134_pixels_within_bounds(int crop, double scale) =>
        Assert.Equal(scale, SeamBaseline.ViewScaleForCrop(crop));

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.3)]
    [InlineData(double.NaN)]
    public void A_second_view_scale_outside_zero_to_one_is_refused(double scale)
    {
        using var backbone = new SmallCnn(8);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SeamBaseline(backbone, 3, secondViewScale: scale));
        Assert.Equal("secondViewScale", error.ParamName);
    }

    [Fact]
    public void Images_too_small_for_a_second_view_are_refused_naming_them()
    {
        using var images = torch.rand([1, 3, 3, 3]);
        using var labels = torch.tensor(new float[,] { { 1, 0, 1 } });
        using var seam = new SeamBaseline(new SmallCnn(8), 3, secondViewScale: 0.2);
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => seam.TrainingLosses(images, labels)).ParamName);
    }

    [Fact]
    public void The_second_view_scale_changes_the_two_view_terms()
    {
        // Same weights, same images, no dropout: only the second view's scale differs, and the terms that compare the views change.
        torch.manual_seed(0);
        using var images = torch.rand([2, 3, 64, 64]);
        using var labels = torch.tensor(new float[,] { { 1, 0, 1 }, { 0, 1, 0 } });
        torch.manual_seed(1);
        using var reference = new SeamBaseline(new SmallCnn(8), 3);
        using var wider = new SeamBaseline(new SmallCnn(8), 3, secondViewScale: 0.6);
        wider.load_state_dict(reference.state_dict());
        reference.eval();
        wider.eval();
        using var a = reference.TrainingLosses(images, labels);
        using var b = wider.TrainingLosses(images, labels);
        double Term(LossTerms t, string name) => t.Terms.Single(x => x.Name == name).Value.item<float>();
        Assert.NotEqual(Term(a, "er"), Term(b, "er"), 4);
        Assert.NotEqual(Term(a, "ecr"), Term(b, "ecr"), 4);
        // The same scale gives the same terms: the difference is the scale's, not the run's.
        using var again = reference.TrainingLosses(images, labels);
        Assert.Equal(Term(a, "er"), Term(again, "er"));
    }
}
