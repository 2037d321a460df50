using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.AspNetCore;
using ServerSidePersonalization.Vendors.DynamicYield;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the Dynamic Yield module: its choose provider (also for <c>Selectors</c> while another provider is the main
/// one), its engagement and events destinations (one switch, <c>Personalization:Tracking:DynamicYield</c>), the
/// <c>_dyid</c>/<c>_dyjsession</c> id source (Web mode) and the <c>ssp_dysid</c> session source (API-only mode).
/// </summary>
public static class DynamicYieldPersonalizationBuilderExtensions
{
    /// <summary>
    /// Adds Dynamic Yield, configured from <c>Personalization:DynamicYield</c>. <c>AddServerSidePersonalization()</c>
    /// already does this, so configuration alone (<c>Personalization:Provider=DynamicYield</c>) selects it.
    /// </summary>
    public static IPersonalizationBuilder AddDynamicYield(this IPersonalizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Add(builder, configuration: null, configure: null);
    }

    /// <summary>Adds Dynamic Yield, configured from <c>Personalization:DynamicYield</c> and then by <paramref name="configure"/>.</summary>
    public static IPersonalizationBuilder AddDynamicYield(this IPersonalizationBuilder builder, Action<DynamicYieldOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, configuration: null, configure);
    }

    /// <summary>Adds Dynamic Yield, configured from <c>Personalization:DynamicYield</c> and then from <paramref name="configuration"/>.</summary>
    public static IPersonalizationBuilder AddDynamicYield(this IPersonalizationBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(builder, configuration, configure: null);
    }

    /// <summary>
    /// The module's services. HttpClient's own per-request logging is off (outcomes are logged), and redirects are not
    /// followed: they would turn the POST into a GET and carry the API key, which is not an Authorization header, to
    /// wherever they point.
    /// </summary>
    private static IPersonalizationBuilder Add(IPersonalizationBuilder builder, IConfiguration? configuration, Action<DynamicYieldOptions>? configure)
    {
        if (!builder.AddModuleOptions(DynamicYieldOptions.SectionName, configuration, configure))
        {
            return builder;
        }

        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DynamicYieldOptions>, DynamicYieldOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DynamicYieldOptions>, DynamicYieldOptionsValidator>());
        services.TryAddSingleton<DynamicYieldCollector>();
        services.AddHttpClient(DynamicYieldCollector.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = DynamicYieldCollector.HttpTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers();
        services.TryAddSingleton<DynamicYieldNewUsers>();
        services.AddHttpClient(DynamicYieldExperienceProvider.HttpClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<DynamicYieldOptions>>().Value.HttpTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers();
        builder.AddExperienceProvider<DynamicYieldExperienceProvider>(
            DynamicYieldOptions.Name,
            sp => sp.GetRequiredService<IOptions<DynamicYieldOptions>>().Value.Timeout,
            routedKeys: sp => [.. sp.GetRequiredService<IOptions<DynamicYieldOptions>>().Value.Selectors],
            attemptTimeout: sp => sp.GetRequiredService<IOptions<DynamicYieldOptions>>().Value.HttpTimeout);
        builder.AddTrackingDestination<DynamicYieldEngagementDestination>(DynamicYieldOptions.Name, IsUsed);
        builder.AddTrackingDestination<DynamicYieldEventsDestination>(DynamicYieldOptions.Name, IsUsed);
        builder.AddIdentitySource(
            DynamicYieldOptions.Name, sp => DynamicYieldIdentity.CreateSource(sp.GetRequiredService<IOptions<DynamicYieldOptions>>().Value.Mode));
        builder.AddIdentitySource(DynamicYieldSessionSource.SourceName, sp => ActivatorUtilities.CreateInstance<DynamicYieldSessionSource>(sp));
        return builder;
    }

    /// <summary>Dynamic Yield decides some experiences: it is the provider, or selectors are routed to it.</summary>
    private static bool IsUsed(IServiceProvider services) =>
        services.PersonalizationOptions().IsProvider(DynamicYieldOptions.Name)
        || services.GetRequiredService<IOptions<DynamicYieldOptions>>().Value.Selectors.Count > 0;
}
