using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerSidePersonalization;
using ServerSidePersonalization.AspNetCore;
using ServerSidePersonalization.AspNetCore.Clicks;
using ServerSidePersonalization.AspNetCore.Previews;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Privacy;
using ServerSidePersonalization.Tracking;
using ServerSidePersonalization.Vendors;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers server-side personalization.</summary>
public static class PersonalizationServiceCollectionExtensions
{
    /// <summary>Adds personalization configured from the <c>Personalization</c> configuration section.</summary>
    public static IPersonalizationBuilder AddServerSidePersonalization(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddCore(services, section: null, configure: null);
    }

    /// <summary>
    /// Adds personalization configured from the <c>Personalization</c> section, then by <paramref name="configure"/>
    /// (so code wins over configuration).
    /// </summary>
    public static IPersonalizationBuilder AddServerSidePersonalization(this IServiceCollection services, Action<PersonalizationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, section: null, configure);
    }

    /// <summary>Adds personalization configured from <paramref name="configuration"/> (a section shaped like <c>Personalization</c>).</summary>
    public static IPersonalizationBuilder AddServerSidePersonalization(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(services, configuration, configure: null);
    }

    /// <summary>
    /// Registers everything once, with the built-in vendor modules (each binds its own sub-section; a later
    /// <c>.Add&lt;Vendor&gt;()</c> only adds settings). Configuration is bound on the first call only (binding twice
    /// would append to every list); a later call can still add an <paramref name="configure"/> action.
    /// </summary>
    private static PersonalizationBuilder AddCore(IServiceCollection services, IConfiguration? section, Action<PersonalizationOptions>? configure)
    {
        var builder = new PersonalizationBuilder(services);
        var first = !services.Any(d => d.ServiceType == typeof(PersonalizationServices));
        var options = services.AddOptions<PersonalizationOptions>();
        if (first)
        {
            _ = section is null ? options.BindConfiguration(PersonalizationOptions.SectionName) : options.Bind(section);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (!first)
        {
            return builder;
        }

        services.AddSingleton(new PersonalizationConfiguration(section));
        services.AddOptionsWithValidateOnStart<PersonalizationOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PersonalizationOptions>, PersonalizationOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PersonalizationOptions>, PersonalizationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        AddIdentity(builder);
        services.TryAddSingleton<RequestAttributeResolver>();
        services.TryAddSingleton(SelectProviders);
        AddCache(services);

        services.AddDataProtection();
        services.TryAddSingleton<ClickKeys>();
        services.TryAddSingleton<ClickTokens>();
        services.TryAddSingleton<ExperiencePreviews>();
        services.TryAddSingleton<IExperiencePreviews>(sp => sp.GetRequiredService<ExperiencePreviews>());
        services.TryAddSingleton<DebugRecording>();
        services.TryAddSingleton<TrackingJournal>();
        services.TryAddSingleton<TrackingPipeline>();
        services.TryAddSingleton<ReportedFields>();
        services.TryAddSingleton<TrackingDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<TrackingDispatcher>());
        services.TryAddSingleton<DeclaredExperiences>();
        services.TryAddSingleton<BotUserAgents>();
        services.TryAddSingleton<PrivacyPolicy>();
        services.TryAddSingleton<PersonalizationServices>();
        services.AddHostedService<PersonalizationStartup>();
        BuiltInVendors.Add(builder);
        return builder;
    }

    private static void AddCache(IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<PersonalizationState>();
        services.TryAddSingleton<PersonalizationMetrics>();
        services.TryAddSingleton<L1Cache>();

        // L2 exists only when an IL2Store is registered, or an L2 package's factory answers one (AddRedis does that when
        // a connection string is set). Each provider gets its own cache (their entries never mix: the provider is part
        // of every key); a request's keys are split among them by route.
        services.TryAddSingleton<IExperienceSource>(sp =>
        {
            var store = sp.GetService<IL2Store>() ?? sp.GetService<L2StoreFactory>()?.Create(sp);
            var l2 = store is null ? null : ActivatorUtilities.CreateInstance<L2Guard>(sp, store);
            var providers = sp.GetRequiredService<SelectedProviders>();
            IExperienceSource Cache(SelectedProvider selected)
            {
                var source = ActivatorUtilities.CreateInstance<ProviderExperienceSource>(sp, selected);
                return l2 is null
                    ? ActivatorUtilities.CreateInstance<ExperienceCache>(sp, source, selected)
                    : ActivatorUtilities.CreateInstance<ExperienceCache>(sp, source, selected, l2);
            }

            return providers.Routed.Count == 0
                ? Cache(providers.Main)
                : new RoutedExperienceSource(Cache(providers.Main), [.. providers.Routed.Select(r => (r.Keys, Cache(r.Provider)))]);
        });
    }

    private static void AddIdentity(PersonalizationBuilder builder)
    {
        builder.AddIdentitySource(IdentitySources.Claims, sp => new ClaimsIdentitySource(Options(sp).Identity.EffectiveCustomerIdClaims));
        builder.AddIdentitySource(IdentitySources.Header, sp => new HeaderIdentitySource(Options(sp).Identity.CustomerIdHeader));
        builder.AddIdentitySource(
            IdentitySources.VisitorCookie, sp => new CookieIdentitySource(IdentitySources.VisitorCookie, [Options(sp).Identity.VisitorCookie]));
        builder.Services.TryAddSingleton<VisitorIdGenerator>();
        builder.Services.TryAddSingleton<IdentityResolver>();
    }

    /// <summary>
    /// The provider named by <c>Personalization:Provider</c>, and those that serve some keys whatever the main one is.
    /// An unknown name never gets here: the options validator stops start-up first.
    /// </summary>
    private static SelectedProviders SelectProviders(IServiceProvider services)
    {
        var options = Options(services);
        var registrations = services.GetServices<ProviderRegistration>().ToList();
        var main = registrations.LastOrDefault(r => options.IsProvider(r.Name))
            ?? throw new InvalidOperationException($"Personalization:Provider '{options.Provider}' is not registered.");
        var routed = new List<(IReadOnlySet<string> Keys, SelectedProvider Provider)>();
        foreach (var registration in registrations.Where(r => r.RoutedKeys is not null && !options.IsProvider(r.Name)))
        {
            if (registration.RoutedKeys!(services) is { Count: > 0 } keys)
            {
                routed.Add((keys.ToHashSet(StringComparer.Ordinal), Select(registration)));
            }
        }

        return new SelectedProviders(Select(main), routed);

        SelectedProvider Select(ProviderRegistration registration) =>
            new(registration.Create(services), registration.Budget(services), registration.AttemptTimeout?.Invoke(services));
    }

    private static PersonalizationOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<PersonalizationOptions>>().Value;
}
