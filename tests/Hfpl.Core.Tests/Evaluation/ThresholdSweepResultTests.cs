using Hfpl.Evaluation;

namespace Hfpl.Core.Tests.Evaluation;

public class ThresholdSweepResultTests
{
    static ConfusionMatrix[] Matrices(int n) => Enumerable.Range(0, n).Select(_ => new ConfusionMatrix(2)).ToArray();

    [Fact]
    public void Best_is_the_highest_mIoU_and_the_first_on_a_tie()
    {
        var result = new ThresholdSweepResult(
            [new(0.1, 0.4), new(0.2, 0.7), new(0.3, 0.7), new(0.4, 0.5)], Matrices(4));
        Assert.Equal(1, result.BestIndex);
        Assert.Equal(new ThresholdPoint(0.2, 0.7), result.Best);
    }

    [Fact]
    public void NaN_never_beats_a_number()
    {
        var result = new ThresholdSweepResult([new(0.1, double.NaN), new(0.2, 0.1), new(0.3, double.NaN)], Matrices(3));
        Assert.Equal(1, result.BestIndex);
    }

    [Fact]
    public void Curve_and_matrices_must_have_the_same_non_zero_length()
    {
        Assert.Equal("matrices", Assert.Throws<ArgumentException>(() => new ThresholdSweepResult([new(0.1, 0.5)], Matrices(2))).ParamName);
        Assert.Equal("curve", Assert.Throws<ArgumentException>(() => new ThresholdSweepResult([], Matrices(0))).ParamName);
    }
}
