using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// What a vendor module registers through: its options (bound from its own sub-section, validated at start-up), its
/// provider, its destinations and its id sources. The core selects among what is registered and never names a vendor.
/// </summary>
internal static class PersonalizationModuleExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from <c>Personalization:{path}</c> on the first call, then from
    /// <paramref name="configuration"/> and <paramref name="configure"/> when given (later sources win). Answers true on
    /// the first call, when the module registers its services.
    /// </summary>
    public static bool AddModuleOptions<TOptions>(
        this IPersonalizationBuilder builder, string path, IConfiguration? configuration, Action<TOptions>? configure)
        where TOptions : class
    {
        var services = builder.Services;
        var first = !services.Any(d => d.ServiceType == typeof(ModuleMarker<TOptions>));
        var options = services.AddOptions<TOptions>();
        if (first)
        {
            services.AddSingleton(new ModuleMarker<TOptions>());
            PersonalizationConfiguration.Find(services).Bind(options, path);
            services.AddOptionsWithValidateOnStart<TOptions>();
        }

        if (configuration is not null)
        {
            options.Bind(configuration);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return first;
    }

    /// <summary>
    /// Registers a provider chosen by <paramref name="name"/>, waited for at most <paramref name="budget"/> by a page;
    /// one fetch runs at most <paramref name="attemptTimeout"/> (unbounded when null).
    /// </summary>
    public static void AddExperienceProvider<TProvider>(
        this IPersonalizationBuilder builder,
        string name,
        Func<IServiceProvider, TimeSpan> budget,
        Func<IServiceProvider, IReadOnlyCollection<string>>? routedKeys = null,
        Func<IServiceProvider, TimeSpan>? attemptTimeout = null)
        where TProvider : class, IExperienceProvider
    {
        builder.Services.TryAddSingleton<TProvider>();
        builder.Services.AddSingleton(new ProviderRegistration(name, sp => sp.GetRequiredService<TProvider>(), budget, routedKeys, attemptTimeout));
    }

    /// <summary>
    /// Registers a destination switched by <c>Personalization:Tracking:{switchName}:Enabled</c> (by default the
    /// destination's own name; a vendor's destinations can share one switch), on by default when
    /// <paramref name="enabledByDefault"/> holds.
    /// </summary>
    public static void AddTrackingDestination<TDestination>(
        this IPersonalizationBuilder builder, string switchName, Func<IServiceProvider, bool> enabledByDefault)
        where TDestination : ITrackingDestination
    {
        var services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(TrackingDestinationRegistration)
            && d.ImplementationInstance is TrackingDestinationRegistration { Name: var name } && name == switchName))
        {
            PersonalizationConfiguration.Find(services)
                .Bind(services.AddOptions<TrackingDestinationOptions>(switchName), "Tracking" + ConfigurationPath.KeyDelimiter + switchName);
        }

        services.AddSingleton(TrackingDestinationRegistration.When<TDestination>(switchName, enabledByDefault));
    }

    /// <summary>
    /// Asks for the payload fields <paramref name="names"/> (read from the module's options at start-up) to be reported
    /// with every impression and click, in <see cref="TrackingEvent.Fields"/>.
    /// </summary>
    public static void AddReportedFields(this IPersonalizationBuilder builder, Func<IServiceProvider, IEnumerable<string>> names)
    {
        builder.Services.AddSingleton(new ReportedFieldsRegistration(names));
    }

    /// <summary>
    /// Registers the named HttpClient a module's destination posts with: bounded by <paramref name="timeout"/>, without
    /// HttpClient's own per-request logs (outcomes are logged), and without following redirects, which would turn a POST
    /// into a GET and carry credentials that are not an Authorization header to wherever they point.
    /// </summary>
    public static void AddVendorHttpClient(this IPersonalizationBuilder builder, string name, Func<IServiceProvider, TimeSpan> timeout)
    {
        builder.Services.AddHttpClient(name)
            .ConfigureHttpClient((sp, client) => client.Timeout = timeout(sp))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers();
    }

    /// <summary>Registers an id source that <c>Personalization:Identity:Order</c> can name.</summary>
    public static void AddIdentitySource(this IPersonalizationBuilder builder, string name, Func<IServiceProvider, IIdentitySource> create)
    {
        builder.Services.AddSingleton(create);
        builder.Services.AddSingleton(new IdentitySourceName(name));
    }

    /// <summary>The bound vendor-neutral options.</summary>
    public static PersonalizationOptions PersonalizationOptions(this IServiceProvider services) =>
        services.GetRequiredService<IOptions<PersonalizationOptions>>().Value;

    /// <summary>Marks a module's options as bound, so a second <c>Add&lt;Vendor&gt;()</c> only adds its own settings.</summary>
    private sealed class ModuleMarker<TOptions>;
}
