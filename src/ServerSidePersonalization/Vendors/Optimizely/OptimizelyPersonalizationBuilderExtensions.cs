using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.AspNetCore;
using ServerSidePersonalization.Vendors.Optimizely;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the Optimizely Data Platform module: its channel events destination (impressions and clicks of every vendor's
/// experiences, on once <c>Personalization:Tracking:Optimizely:ApiKey</c> is set) and the <c>vuid</c> id source.
/// </summary>
public static class OptimizelyPersonalizationBuilderExtensions
{
    /// <summary>
    /// Adds ODP, configured from <c>Personalization:Tracking:Optimizely</c>. <c>AddServerSidePersonalization()</c>
    /// already does this, so configuration alone (an API key) turns it on.
    /// </summary>
    public static IPersonalizationBuilder AddOptimizely(this IPersonalizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Add(builder, configuration: null, configure: null);
    }

    /// <summary>Adds ODP, configured from <c>Personalization:Tracking:Optimizely</c> and then by <paramref name="configure"/>.</summary>
    public static IPersonalizationBuilder AddOptimizely(this IPersonalizationBuilder builder, Action<OptimizelyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, configuration: null, configure);
    }

    /// <summary>Adds ODP, configured from <c>Personalization:Tracking:Optimizely</c> and then from <paramref name="configuration"/>.</summary>
    public static IPersonalizationBuilder AddOptimizely(this IPersonalizationBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(builder, configuration, configure: null);
    }

    /// <summary>The module's services.</summary>
    private static IPersonalizationBuilder Add(IPersonalizationBuilder builder, IConfiguration? configuration, Action<OptimizelyOptions>? configure)
    {
        if (!builder.AddModuleOptions(OptimizelyOptions.SectionName, configuration, configure))
        {
            return builder;
        }

        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OptimizelyOptions>, OptimizelyOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OptimizelyOptions>, OptimizelyOptionsValidator>());
        builder.AddVendorHttpClient(
            OptimizelyEventsDestination.HttpClientName, sp => sp.GetRequiredService<IOptions<OptimizelyOptions>>().Value.HttpTimeout);
        builder.AddTrackingDestination<OptimizelyEventsDestination>(
            OptimizelyOptions.Name, sp => !string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<OptimizelyOptions>>().Value.ApiKey));
        builder.AddIdentitySource(OptimizelyOptions.Name, _ => OptimizelyNames.CreateSource());
        return builder;
    }
}
