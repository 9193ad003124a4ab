using Hfpl.Tests;

namespace Hfpl.Core.Tests.Posteriors;

public class PosteriorTests
{
    [Fact]
    public void Probability_to_logit_matches_the_golden_values()
    {
        var c = Golden.Cases("cam_helpers.json").Single(c => c.GetProperty("kind").GetString() == "prob_to_logit");
        using var p = Golden.Tensor(c.GetProperty("p"));
        using var logit = hfpl.probability_to_logit(p, c.GetProperty("e").GetDouble());
        TensorAssert.Close(Golden.Tensor(c.GetProperty("logit")), logit, 1e-5, 1e-12);
        TensorAssert.Finite(logit, "logits of 0 and 1");
    }

    [Fact]
    public void Binomial_is_the_sigmoid_and_multinomial_the_softmax_over_channels()
    {
        using var z = torch.randn([2, 3, 4, 4], generator: new Generator(1));
        TensorAssert.Close(torch.sigmoid(z), hfpl.posterior_probabilities(z), 0, 0);
        using var softmax = hfpl.posterior_probabilities(z, Posterior.Multinomial);
        TensorAssert.Close(torch.ones(2, 4, 4), softmax.sum(1), 1e-6, 0);
    }
}
