using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Vendors.Local;
using ServerSidePersonalization.Vendors.Local.Stats;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the development page of impressions, clicks and click-through rates recorded by the Local destination.</summary>
public static class PersonalizationStatsEndpointRouteBuilderExtensions
{
    private const string Path = "/_personalization/stats";

    /// <summary>
    /// Maps <c>GET /_personalization/stats</c>: per experience and variation, impressions, clicks and click-through rate
    /// with 95% intervals, a bar chart, and for two variations their difference and a verdict. It answers 404 unless
    /// the environment is Development.
    /// </summary>
    /// <returns>A builder for conventions on the endpoint (for example <c>RequireAuthorization</c>).</returns>
    public static IEndpointConventionBuilder MapPersonalizationStats(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        if (services.GetService<IServiceProviderIsService>()?.IsService(typeof(LocalTrackingStore)) != true)
        {
            throw new InvalidOperationException(
                "Call builder.Services.AddServerSidePersonalization() before app.MapPersonalizationStats().");
        }

        var environment = services.GetRequiredService<IHostEnvironment>();
        var store = services.GetRequiredService<LocalTrackingStore>();
        var capacity = services.GetRequiredService<IOptions<LocalTrackingOptions>>().Value.MaxEvents;
        return endpoints.MapGet(Path, (HttpContext context) =>
        {
            // Checked per request, not at mapping, so an app can map it unconditionally; outside Development it does
            // not exist as far as a visitor can tell.
            if (!environment.IsDevelopment())
            {
                return Results.NotFound();
            }

            var records = store.Snapshot();
            var html = LocalStatsPage.Render(LocalStatsReport.From(records), records.Count, capacity);
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
            return Results.Content(html, "text/html; charset=utf-8");
        }).WithDisplayName("Personalization stats").ExcludeFromDescription();
    }
}
