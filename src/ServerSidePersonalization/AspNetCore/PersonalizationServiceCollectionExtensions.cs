using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerSidePersonalization;
using ServerSidePersonalization.AspNetCore;
using ServerSidePersonalization.AspNetCore.Clicks;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tracking;
using ServerSidePersonalization.Vendors.DynamicYield;
using ServerSidePersonalization.Vendors.Local;
using ServerSidePersonalization.Vendors.MoEngage;

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
    /// Registers everything once. Configuration is bound on the first call only (binding twice would append to every
    /// list); a later call can still add an <paramref name="configure"/> action.
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

        services.AddOptionsWithValidateOnStart<PersonalizationOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PersonalizationOptions>, PersonalizationOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PersonalizationOptions>, PersonalizationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        AddIdentity(services);
        services.TryAddSingleton<RequestAttributeResolver>();
        services.AddLocalProvider();
        services.AddMoEngage();
        services.AddDynamicYield();
        services.TryAddSingleton(SelectProvider);
        services.TryAddSingleton(sp => new ProviderExperienceSource(
            sp.GetRequiredService<SelectedProvider>().Provider, sp.GetRequiredService<ILogger<ProviderExperienceSource>>()));
        AddCache(services);

        services.AddDataProtection();
        services.TryAddSingleton<ClickTokens>();
        services.TryAddSingleton<TrackingPipeline>();
        services.TryAddSingleton<TrackingDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<TrackingDispatcher>());
        services.TryAddSingleton<DeclaredExperiences>();
        services.TryAddSingleton<PersonalizationServices>();
        services.AddHostedService<PersonalizationStartup>();
        return builder;
    }

    private static void AddCache(IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<PersonalizationMetrics>();
        services.TryAddSingleton<L1Cache>();

        // L2 exists only when an IL2Store is registered (AddRedis does that).
        services.TryAddSingleton<IExperienceSource>(sp => sp.GetService<IL2Store>() is { } store
            ? ActivatorUtilities.CreateInstance<ExperienceCache>(sp, ActivatorUtilities.CreateInstance<L2Guard>(sp, store))
            : ActivatorUtilities.CreateInstance<ExperienceCache>(sp));
    }

    private static void AddIdentity(IServiceCollection services)
    {
        services.AddSingleton<IIdentitySource>(sp => new ClaimsIdentitySource(Options(sp).Identity.EffectiveCustomerIdClaims));
        services.AddSingleton<IIdentitySource>(sp => new HeaderIdentitySource(Options(sp).Identity.CustomerIdHeader));
        services.AddSingleton<IIdentitySource>(sp => new CookieIdentitySource(IdentitySources.VisitorCookie, [Options(sp).Identity.VisitorCookie]));
        services.AddSingleton(MoEngageIdentity.CreateSource());
        services.AddSingleton(DynamicYieldIdentity.CreateSource());
        services.TryAddSingleton<VisitorIdGenerator>();
        services.TryAddSingleton<IdentityResolver>();
    }

    private static SelectedProvider SelectProvider(IServiceProvider services)
    {
        var options = Options(services);
        return options.Provider switch
        {
            PersonalizationProvider.Local => new SelectedProvider(services.GetRequiredService<LocalExperienceProvider>(), LocalProviderRegistration.Budget),
            PersonalizationProvider.MoEngage => new SelectedProvider(services.GetRequiredService<MoEngageExperienceProvider>(), options.MoEngage.Timeout),
            _ => throw new InvalidOperationException($"Personalization:Provider {options.Provider} is not available in this version."),
        };
    }

    private static PersonalizationOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<PersonalizationOptions>>().Value;
}
