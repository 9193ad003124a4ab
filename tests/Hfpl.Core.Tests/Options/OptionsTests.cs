using Hfpl.Modules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hfpl.Core.Tests.Options;

public class OptionsTests
{
    [Fact]
    public void Defaults_are_the_papers_and_valid()
    {
        var options = new ImportanceSamplingOptions();
        Assert.Equal((10, 0.2, Posterior.Binomial, 1e-5), (options.Samples, options.Lambda, options.Posterior, options.Epsilon));
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Validator_reports_every_bad_value_at_once()
    {
        var result = new ImportanceSamplingOptionsValidator().Validate(null,
            new ImportanceSamplingOptions { Samples = 0, Lambda = 1.5, Epsilon = -1, Posterior = (Posterior)7 });
        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.Contains("Samples"));
        Assert.Contains(failures, f => f.Contains("Lambda"));
        Assert.Contains(failures, f => f.Contains("Epsilon"));
        Assert.Contains(failures, f => f.Contains("Posterior"));
    }

    [Fact]
    public void Registration_builds_the_pool_from_the_configured_options()
    {
        using var provider = new ServiceCollection()
            .AddImportanceSampling(o => { o.Samples = 7; o.Seed = 3; o.Posterior = Posterior.Multinomial; })
            .Services.BuildServiceProvider();
        using var pool = provider.GetRequiredService<ImportanceSamplingPool>();
        Assert.Equal((7L, Posterior.Multinomial), (pool.Samples, pool.Posterior));
        Assert.NotNull(pool.Generator);
    }

    [Fact]
    public void Registration_with_bad_values_fails_with_all_of_them()
    {
        using var provider = new ServiceCollection()
            .AddImportanceSampling(o => { o.Samples = -1; o.Lambda = -0.1; })
            .Services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ImportanceSamplingOptions>>().Value);
        Assert.Equal(2, error.Failures.Count());
    }

    [Fact]
    public void Plain_constructors_need_no_container_and_reject_bad_values_by_name()
    {
        using var pool = new ImportanceSamplingPool(samples: 3);
        Assert.Equal(3, pool.Samples);
        Assert.Contains("samples", Assert.ThrowsAny<ArgumentException>(() => new ImportanceSamplingPool(samples: 0)).Message);
        Assert.Contains("Lambda", Assert.ThrowsAny<ArgumentException>(() => new ImportanceSamplingPool(new ImportanceSamplingOptions { Lambda = 2 })).Message);
    }
}
