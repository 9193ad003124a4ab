using Hfpl.Modules;
using Hfpl.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hfpl;

/// <summary>Registers importance sampling with Microsoft.Extensions.DependencyInjection. Optional: the modules also take plain arguments.</summary>
public static class ImportanceSamplingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ImportanceSamplingOptions"/> (validated on start, every bad value reported at once)
    /// and a transient <see cref="ImportanceSamplingPool"/> built from them.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Optional changes to the defaults.</param>
    /// <returns>The options builder, to bind configuration or add more validation.</returns>
    public static OptionsBuilder<ImportanceSamplingOptions> AddImportanceSampling(this IServiceCollection services,
        Action<ImportanceSamplingOptions>? configure = null)
    {
        var builder = OptionsRegistration.AddValidated<ImportanceSamplingOptions, ImportanceSamplingOptionsValidator>(services, configure);
        services.AddTransient(sp => new ImportanceSamplingPool(sp.GetRequiredService<IOptions<ImportanceSamplingOptions>>().Value));
        return builder;
    }
}
