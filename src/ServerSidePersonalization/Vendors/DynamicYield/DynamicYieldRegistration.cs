using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.DynamicYield;

internal static class DynamicYieldRegistration
{
    /// <summary>
    /// A click report has no page waiting on it, but a hung call holds up every later click of the queue, so it gets a
    /// bound well under HttpClient's 100 s.
    /// </summary>
    public static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The engagement destination and its HTTP client. HttpClient's own per-request logging is off (the dispatcher logs
    /// outcomes), and redirects are not followed: they would turn the POST into a GET and carry the API key, which is
    /// not an Authorization header, to wherever they point.
    /// </summary>
    public static void AddDynamicYield(this IServiceCollection services)
    {
        services.AddHttpClient(DynamicYieldEngagementDestination.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = HttpTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers();
        services.AddSingleton(TrackingDestinationRegistration.When<DynamicYieldEngagementDestination>(IsEngagementEnabled));
    }

    /// <summary><c>Tracking:DynamicYield:Enabled</c>, or by default whether Dynamic Yield is the provider.</summary>
    public static bool IsEngagementEnabled(PersonalizationOptions options) =>
        options.Tracking.DynamicYield.Enabled ?? options.Provider == PersonalizationProvider.DynamicYield;
}
