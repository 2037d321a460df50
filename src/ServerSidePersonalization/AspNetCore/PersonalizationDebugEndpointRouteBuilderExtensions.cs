using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerSidePersonalization.AspNetCore.Debug;
using ServerSidePersonalization.Diagnostics;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Development-only page that shows what personalization made of a request.</summary>
public static class PersonalizationDebugEndpointRouteBuilderExtensions
{
    /// <summary>The page's path.</summary>
    public const string DebugPath = "/_personalization/debug";

    /// <summary>
    /// In Development only (elsewhere nothing is mapped, so the path answers 404), maps <c>/_personalization/debug</c>:
    /// the visitor's ids (masked) and their sources, the in-session attributes, this request's site-wide and declared
    /// experiences (add <c>?keys=a,b</c> for others) with origin and attribution, and the visitor's last tracking events
    /// with their delivery status. Map it after <c>app.UseServerSidePersonalization()</c>.
    /// </summary>
    /// <returns><paramref name="endpoints"/>, for chaining.</returns>
    public static IEndpointRouteBuilder MapPersonalizationDebug(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        if (services.GetService<DebugRecording>() is not { } recording)
        {
            throw new InvalidOperationException("Call builder.Services.AddServerSidePersonalization() before app.MapPersonalizationDebug().");
        }

        if (services.GetService<IHostEnvironment>()?.IsDevelopment() != true)
        {
            return endpoints;
        }

        // From here on, requests record their experiences' origins and the journal keeps events: only in Development.
        recording.Enable();
        var page = ActivatorUtilities.CreateInstance<PersonalizationDebugPage>(services);
        endpoints.MapGet(DebugPath, page.RenderAsync).WithDisplayName("Personalization debug page");
        return endpoints;
    }
}
