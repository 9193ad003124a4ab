using Hfpl.Losses;
using Hfpl.Tests;

namespace Hfpl.Losses.Tests;

/// <summary>The README's "Adding the add-on to your network" snippet, line for line, on a one-layer network.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void The_readme_snippet_trains_a_cam_network()
    {
        using var myNet = nn.Conv2d(3, 4, 3, padding: 1);
        using var images = torch.rand([2, 3, 16, 16], generator: new Generator(1));
        using var labels = torch.tensor(new float[,] { { 1, 0, 1, 0 }, { 0, 1, 0, 0 } });

        var pool = hfpl.ImportanceSamplingPool(samples: 10, seed: 0);
        var cls = losses.ImportanceSamplingLoss(lambda: 0.2);
        var fsl = losses.FeatureSimilarityLoss(mu: 2.5, sigma: 5, weight: 1);

        Tensor logits = myNet.call(images);
        Tensor gap = logits.mean([2, 3]);
        Tensor loss = cls.call(gap, pool.call(logits), labels)
                      + fsl.call(losses.feature_similarity_features(images, logits.shape[2], logits.shape[3]),
                                 hfpl.binomial_predictions(logits, labels));
        loss.backward();

        TensorAssert.Finite(loss, "loss");
        Assert.True(myNet.weight!.grad!.abs().sum().item<float>() > 0);
    }
}
