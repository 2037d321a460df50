using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerSidePersonalization;
using ServerSidePersonalization.AspNetCore.Clicks;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoint that tracked links (<c>&lt;a experience-click="..."&gt;</c>) point at.</summary>
public static class PersonalizationClicksEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>Personalization:Clicks:Path</c> (default <c>/_personalization/click</c>): <c>GET</c> records the click
    /// and redirects to the link's target, <c>POST</c> (for <c>navigator.sendBeacon</c>) records it and answers 204.
    /// A missing, tampered or expired token answers 400. Map it after <c>app.UseServerSidePersonalization()</c>.
    /// </summary>
    /// <returns>A builder for conventions that apply to both methods (for example rate limiting).</returns>
    public static IEndpointConventionBuilder MapPersonalizationClicks(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(ClickTokens)) != true)
        {
            throw new InvalidOperationException(
                "Call builder.Services.AddServerSidePersonalization() before app.MapPersonalizationClicks().");
        }

        var path = endpoints.ServiceProvider.GetRequiredService<IOptions<PersonalizationOptions>>().Value.Clicks.Path;
        var endpoint = ActivatorUtilities.CreateInstance<ClickEndpoint>(endpoints.ServiceProvider);
        var group = endpoints.MapGroup(path);
        group.MapGet(string.Empty, endpoint.RedirectAsync).WithDisplayName("Personalization click (redirect)");

        // navigator.sendBeacon cannot send an antiforgery token; the click token itself proves the link was ours.
        group.MapPost(string.Empty, endpoint.RecordAsync).WithDisplayName("Personalization click (beacon)").DisableAntiforgery();
        return group;
    }
}
