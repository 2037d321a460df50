using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.MoEngage;

internal static class MoEngageRegistration
{
    /// <summary>
    /// The MoEngage provider, its events destination (on when <c>Tracking:MoEngage:Enabled</c>, or by default when MoEngage
    /// is the provider) and their HTTP clients; HttpClient's own per-request logging is off (we log outcomes).
    /// </summary>
    public static void AddMoEngage(this IServiceCollection services)
    {
        services.AddHttpClient(MoEngageConnection.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
                client.Timeout = sp.GetRequiredService<IOptions<PersonalizationOptions>>().Value.MoEngage.HttpTimeout)
            .RemoveAllLoggers();
        services.TryAddSingleton<MoEngageExperienceProvider>();

        // Events are sent in the background, where waiting longer than a page would costs nothing.
        services.AddHttpClient(MoEngageEventsDestination.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .RemoveAllLoggers();
        services.AddSingleton(TrackingDestinationRegistration.When<MoEngageEventsDestination>(
            options => options.Tracking.MoEngage.Enabled ?? options.Provider == PersonalizationProvider.MoEngage));
    }
}
