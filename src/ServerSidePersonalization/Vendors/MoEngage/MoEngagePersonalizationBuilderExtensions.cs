using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerSidePersonalization;
using ServerSidePersonalization.AspNetCore;
using ServerSidePersonalization.Vendors.MoEngage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the MoEngage Personalize module: its provider, its events destination, the <c>moe_uuid</c> id source and the
/// event-only attribute <c>user_timezone_offset</c>.
/// </summary>
public static class MoEngagePersonalizationBuilderExtensions
{
    /// <summary>
    /// Adds MoEngage, configured from <c>Personalization:MoEngage</c>. <c>AddServerSidePersonalization()</c> already
    /// does this, so configuration alone (<c>Personalization:Provider=MoEngage</c>) selects it.
    /// </summary>
    public static IPersonalizationBuilder AddMoEngage(this IPersonalizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Add(builder, configuration: null, configure: null);
    }

    /// <summary>Adds MoEngage, configured from <c>Personalization:MoEngage</c> and then by <paramref name="configure"/>.</summary>
    public static IPersonalizationBuilder AddMoEngage(this IPersonalizationBuilder builder, Action<MoEngageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, configuration: null, configure);
    }

    /// <summary>Adds MoEngage, configured from <c>Personalization:MoEngage</c> and then from <paramref name="configuration"/>.</summary>
    public static IPersonalizationBuilder AddMoEngage(this IPersonalizationBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(builder, configuration, configure: null);
    }

    /// <summary>
    /// The provider, its events destination (on when <c>Tracking:MoEngage:Enabled</c>, or by default when MoEngage is
    /// the provider) and their HTTP clients; HttpClient's own per-request logging is off (we log outcomes).
    /// </summary>
    private static IPersonalizationBuilder Add(IPersonalizationBuilder builder, IConfiguration? configuration, Action<MoEngageOptions>? configure)
    {
        if (!builder.AddModuleOptions(MoEngageOptions.SectionName, configuration, configure))
        {
            return builder;
        }

        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MoEngageOptions>, MoEngageOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MoEngageOptions>, MoEngageOptionsValidator>());
        services.AddHttpClient(MoEngageConnection.HttpClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<MoEngageOptions>>().Value.HttpTimeout)
            .RemoveAllLoggers();
        builder.AddExperienceProvider<MoEngageExperienceProvider>(
            MoEngageOptions.Name,
            sp => sp.GetRequiredService<IOptions<MoEngageOptions>>().Value.Timeout,
            attemptTimeout: sp => sp.GetRequiredService<IOptions<MoEngageOptions>>().Value.HttpTimeout);

        // Events are sent in the background, where waiting longer than a page would costs nothing.
        services.AddHttpClient(MoEngageEventsDestination.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .RemoveAllLoggers();
        builder.AddTrackingDestination<MoEngageEventsDestination>(
            MoEngageOptions.Name, sp => sp.PersonalizationOptions().IsProvider(MoEngageOptions.Name));

        // The time zone is an events field: sent with a fetch it would only split the visitor's cache entries.
        services.PostConfigure<PersonalizationOptions>(o => o.Context.EventOnlyAttributes.Add(MoEngageEventsDestination.TimezoneOffsetAttribute));
        builder.AddIdentitySource(MoEngageOptions.Name, _ => MoEngageIdentity.CreateSource());
        return builder;
    }
}
