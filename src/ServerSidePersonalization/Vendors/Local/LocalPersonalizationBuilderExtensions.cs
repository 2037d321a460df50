using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.AspNetCore;
using ServerSidePersonalization.Vendors.Local;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the embedded Local module: experiences from a JSON file, and a local record of impressions and clicks.</summary>
public static class LocalPersonalizationBuilderExtensions
{
    /// <summary>
    /// Adds the Local provider, configured from <c>Personalization:Local</c> (and its destination from
    /// <c>Personalization:Tracking:Local</c>). <c>AddServerSidePersonalization()</c> already does this.
    /// </summary>
    public static IPersonalizationBuilder AddLocal(this IPersonalizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Add(builder, configuration: null, configure: null);
    }

    /// <summary>Adds the Local provider, configured from <c>Personalization:Local</c> and then by <paramref name="configure"/>.</summary>
    public static IPersonalizationBuilder AddLocal(this IPersonalizationBuilder builder, Action<LocalProviderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, configuration: null, configure);
    }

    /// <summary>Adds the Local provider, configured from <c>Personalization:Local</c> and then from <paramref name="configuration"/>.</summary>
    public static IPersonalizationBuilder AddLocal(this IPersonalizationBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(builder, configuration, configure: null);
    }

    private static IPersonalizationBuilder Add(IPersonalizationBuilder builder, IConfiguration? configuration, Action<LocalProviderOptions>? configure)
    {
        if (!builder.AddModuleOptions(LocalProviderOptions.SectionName, configuration, configure))
        {
            return builder;
        }

        builder.AddModuleOptions<LocalTrackingOptions>("Tracking:Local", configuration: null, configure: null);
        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalTrackingOptions>, LocalTrackingOptionsValidator>());
        services.TryAddSingleton<LocalExperienceStore>();
        services.TryAddSingleton<LocalTrackingStore>();
        builder.AddExperienceProvider<LocalExperienceProvider>(LocalProviderOptions.Name, _ => LocalProviderOptions.Budget);
        builder.AddTrackingDestination<LocalTrackingDestination>(
            LocalProviderOptions.Name, sp => sp.PersonalizationOptions().IsProvider(LocalProviderOptions.Name));
        return builder;
    }
}
