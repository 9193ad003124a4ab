using Hfpl.Losses.Modules;
using Hfpl.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hfpl.Losses;

/// <summary>Registers the losses with Microsoft.Extensions.DependencyInjection. Optional: the modules also take plain arguments.</summary>
public static class LossesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FeatureSimilarityOptions"/> (validated on start, every bad value reported at once) and a
    /// transient <see cref="FeatureSimilarityLoss"/> built from them.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Optional changes to the defaults.</param>
    /// <returns>The options builder, to bind configuration or add validation.</returns>
    public static OptionsBuilder<FeatureSimilarityOptions> AddFeatureSimilarityLoss(this IServiceCollection services,
        Action<FeatureSimilarityOptions>? configure = null)
    {
        var builder = OptionsRegistration.AddValidated<FeatureSimilarityOptions, FeatureSimilarityOptionsValidator>(services, configure);
        services.AddTransient(sp => new FeatureSimilarityLoss(sp.GetRequiredService<IOptions<FeatureSimilarityOptions>>().Value));
        return builder;
    }

    /// <summary>
    /// Registers importance sampling (<see cref="ImportanceSamplingServiceCollectionExtensions.AddImportanceSampling"/>) and a
    /// transient <see cref="ImportanceSamplingLoss"/> whose lambda comes from <see cref="ImportanceSamplingOptions.Lambda"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Optional changes to the defaults.</param>
    /// <returns>The options builder.</returns>
    public static OptionsBuilder<ImportanceSamplingOptions> AddImportanceSamplingLoss(this IServiceCollection services,
        Action<ImportanceSamplingOptions>? configure = null)
    {
        var builder = services.AddImportanceSampling(configure);
        services.AddTransient(sp => new ImportanceSamplingLoss(sp.GetRequiredService<IOptions<ImportanceSamplingOptions>>().Value.Lambda));
        return builder;
    }
}
