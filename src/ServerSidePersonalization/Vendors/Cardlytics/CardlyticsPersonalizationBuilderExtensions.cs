using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.AspNetCore;
using ServerSidePersonalization.Tracking;
using ServerSidePersonalization.Vendors.Cardlytics;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the Cardlytics module: its client events destination (ad impressions, offer interactions and the site's own
/// <see cref="CardlyticsClientEvent"/>s, on once <c>Personalization:Tracking:Cardlytics:ClientId</c> is set), and the
/// serve token and display position payload fields reported with impressions and clicks.
/// </summary>
public static class CardlyticsPersonalizationBuilderExtensions
{
    /// <summary>
    /// Adds Cardlytics, configured from <c>Personalization:Tracking:Cardlytics</c>. <c>AddServerSidePersonalization()</c>
    /// already does this, so configuration alone (a client id and secret) turns it on.
    /// </summary>
    public static IPersonalizationBuilder AddCardlytics(this IPersonalizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Add(builder, configuration: null, configure: null);
    }

    /// <summary>Adds Cardlytics, configured from <c>Personalization:Tracking:Cardlytics</c> and then by <paramref name="configure"/>.</summary>
    public static IPersonalizationBuilder AddCardlytics(this IPersonalizationBuilder builder, Action<CardlyticsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, configuration: null, configure);
    }

    /// <summary>Adds Cardlytics, configured from <c>Personalization:Tracking:Cardlytics</c> and then from <paramref name="configuration"/>.</summary>
    public static IPersonalizationBuilder AddCardlytics(this IPersonalizationBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(builder, configuration, configure: null);
    }

    private static IPersonalizationBuilder Add(IPersonalizationBuilder builder, IConfiguration? configuration, Action<CardlyticsOptions>? configure)
    {
        if (!builder.AddModuleOptions(CardlyticsOptions.SectionName, configuration, configure))
        {
            return builder;
        }

        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CardlyticsOptions>, CardlyticsOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CardlyticsOptions>, CardlyticsOptionsValidator>());
        builder.AddVendorHttpClient(CardlyticsEventsDestination.HttpClientName, sp => Options(sp).HttpTimeout);
        builder.AddTrackingDestination<CardlyticsEventsDestination>(CardlyticsOptions.Name, HasCredentials);
        builder.AddReportedFields(sp => TrackingDestinationRegistration.IsEnabled(sp, CardlyticsOptions.Name, HasCredentials)
            ? [Options(sp).ServeTokenField, Options(sp).DisplayPositionField]
            : []);
        return builder;
    }

    private static CardlyticsOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<CardlyticsOptions>>().Value;

    private static bool HasCredentials(IServiceProvider services) => !string.IsNullOrWhiteSpace(Options(services).ClientId);
}
