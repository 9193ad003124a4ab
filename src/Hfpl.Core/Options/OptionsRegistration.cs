using Hfpl.Native;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hfpl.Internal;

/// <summary>What every Hfpl <c>Add...</c> registration does first: options validated on start by their validator.</summary>
internal static class OptionsRegistration
{
    public static OptionsBuilder<TOptions> AddValidated<TOptions, TValidator>(IServiceCollection services, Action<TOptions>? configure)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(services);
        TorchNative.EnsureLoaded();
        var builder = services.AddOptions<TOptions>();
        if (configure is not null) builder.Configure(configure);
        builder.ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return builder;
    }
}
