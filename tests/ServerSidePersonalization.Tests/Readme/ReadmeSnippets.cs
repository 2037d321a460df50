using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Vendors.Cardlytics;
using ServerSidePersonalization.Vendors.DynamicYield;
using ServerSidePersonalization.Vendors.DynamicYield.Events;

namespace ServerSidePersonalization.Tests.Readme;

/// <summary>
/// The README's C# snippets that neither the sample nor another test holds, written out line for line so the compiler
/// checks them (<see cref="ReadmeSnippetsTests"/> finds every README line in compiled code). Never run.
/// </summary>
internal static class ReadmeSnippets
{
    public static void VendorModules(WebApplicationBuilder builder, string odpKey, string id, string secret)
    {
        builder.Services.AddServerSidePersonalization()
            .AddMoEngage(o => o.DataCenter = "02")
            .AddDynamicYield(o => o.Selectors.Add("product-recs"))
            .AddOptimizely(o => o.ApiKey = odpKey)
            .AddCardlytics(o => { o.ClientId = id; o.Secret = secret; o.Section = "LatestOffers"; })
            .AddRedis();
    }

    public static void BehindAProxy(WebApplicationBuilder builder)
    {
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("10.0.0.0/8"));
        });
    }

    public static void HealthChecks(WebApplication app) => app.MapHealthChecks("/healthz");

    public static void Endpoints(WebApplication app)
    {
        app.MapGet("/api/hero", () => Results.NoContent()).WithExperiences("home-hero");
        app.MapGet("/p/{sku}", (string sku) => sku).WithDynamicYieldPage(PageType.Product, "sku");
    }

    [DynamicYieldPage(PageType.Product, "sku")]
    public static void DynamicYieldPageOnAnAction()
    {
    }

    public static void CardlyticsConversions(HttpContext context, string serveToken)
    {
        context.GetPersonalization().TrackConversion(CardlyticsClientEvent.SessionAction("LogEnrollment"));
        context.GetPersonalization().TrackConversion(CardlyticsClientEvent.AdViewableImpression(serveToken, displayPosition: 2));
    }

    public static void DynamicYieldConversions(HttpContext HttpContext, (string Email, string Id) user)
    {
        var personalization = HttpContext.GetPersonalization();
        personalization.TrackConversion(new AddToCartEvent(value: 39.95m, productId: "item-34454ga", quantity: 1, currency: "GBP"));
        personalization.TrackConversion(new LoginEvent(hashedEmail: DynamicYieldEmail.Hash(user.Email)));
        personalization.TrackConversion(new CustomEvent("Filled Post-Purchase Survey", new Dictionary<string, object> { ["experienceRating"] = 4 }));
    }

    public static async Task<decimal> ExperiencesInCode(HttpContext HttpContext)
    {
        var personalization = HttpContext.GetPersonalization();
        if (await personalization.GetExperienceAsync("free-shipping-banner") is { } banner
            && banner.TryGetDecimal("Threshold", out var threshold))
        {
            personalization.TrackImpression(banner);
            return threshold;
        }

        return 0;
    }
}
