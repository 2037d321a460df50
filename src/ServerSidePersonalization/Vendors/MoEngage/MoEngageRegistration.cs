using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.Vendors.MoEngage;

internal static class MoEngageRegistration
{
    /// <summary>The MoEngage provider and its HTTP client; HttpClient's own per-request logging is off (we log outcomes).</summary>
    public static void AddMoEngage(this IServiceCollection services)
    {
        services.AddHttpClient(MoEngageConnection.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
                client.Timeout = sp.GetRequiredService<IOptions<PersonalizationOptions>>().Value.MoEngage.HttpTimeout)
            .RemoveAllLoggers();
        services.TryAddSingleton<MoEngageExperienceProvider>();
    }
}
