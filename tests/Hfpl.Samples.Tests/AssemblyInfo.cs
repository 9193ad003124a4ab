// Training seeds TorchSharp's process-wide generator (dropout draws from it), so tests that check repeatable
// training must not run beside tests that draw random numbers on other threads.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
