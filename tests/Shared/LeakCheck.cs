namespace Hfpl.Tests;

/// <summary>Counts the tensors alive on this thread around an action, with TorchSharp's dispose-scope statistics.</summary>
public static class LeakCheck
{
    /// <summary>Runs <paramref name="action"/> <paramref name="iterations"/> times outside any dispose scope and asserts no tensor stays alive.</summary>
    /// <remarks>Each iteration must dispose what it receives. A leaked temporary inside the library shows up as a growing count.</remarks>
    public static void AssertNoLeaks(int iterations, Action action)
    {
        action(); // warm-up: lazily created singletons are not leaks
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < iterations; i++) action();
        var after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.True(after <= before, $"{after - before} tensors leaked over {iterations} iterations");
    }
}
