using System.Net;
using System.Text.Json.Nodes;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.Cardlytics;
using ServerSidePersonalization.Tests.Vendors.MoEngage;
using ServerSidePersonalization.Tests.Vendors.Optimizely;

namespace ServerSidePersonalization.Tests.Samples;

/// <summary>
/// The published Storefront sample as a new user runs it: configured by environment variables alone for MoEngage
/// decisions and three destinations (MoEngage, Optimizely Data Platform, Cardlytics) against stand-ins on loopback.
/// One page view is one impression at each.
/// </summary>
public sealed class StorefrontThreeDestinationsTests : IAsyncLifetime
{
    private const string ServeToken = "srv-tok-42";
    private StubVendorServer _moEngage = null!;
    private StubVendorServer _optimizely = null!;
    private CardlyticsStub _cardlytics = null!;

    public async Task InitializeAsync()
    {
        _moEngage = await StubVendorServer.StartAsync();
        _optimizely = await StubVendorServer.StartAsync();
        _cardlytics = new CardlyticsStub(await StubVendorServer.StartAsync());
    }

    public async Task DisposeAsync()
    {
        await _moEngage.DisposeAsync();
        await _optimizely.DisposeAsync();
        await _cardlytics.Server.DisposeAsync();
    }

    [Fact]
    public async Task OnePageView_OneImpressionAtMoEngageOptimizelyAndCardlytics()
    {
        _moEngage.Respond = MoEngageStub.Route(HeroWithServeToken);
        _optimizely.Respond = _ => OptimizelyStub.Accepted();
        await using var sample = await PublishedSample.StartAsync(Environment());
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = sample.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("User-Agent", TestApp.BrowserUserAgent);
        request.Headers.TryAddWithoutValidation("Cookie", "ssp_vid=visitor-1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Spring sale", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(
            await Eventually.TrueAsync(() => MoEngageStub.Actions(_moEngage).Count > 0 && OptimizelyStub.Events(_optimizely).Count > 0 && _cardlytics.Events.Count > 0),
            "Not every destination heard of the page view:\n" + sample.Output);

        var shown = Assert.Single(MoEngageStub.Actions(_moEngage));
        Assert.Equal("visitor-1", shown.CustomerId);
        Assert.Equal("MOE_PERSONALIZATION_MESSAGE_SHOWN", shown.Action.GetProperty("action").GetString());
        Assert.Equal(MoEngageStub.Context("home-hero")["cid"]!.GetValue<string>(), shown.Action.GetProperty("attributes").GetProperty("cid").GetString());

        var delivery = Assert.Single(OptimizelyStub.Events(_optimizely));
        Assert.Equal("delivery", delivery.GetProperty("action").GetString());
        Assert.Equal("visitor-1", delivery.GetProperty("identifiers").GetProperty("vuid").GetString());
        Assert.Equal("home-hero", delivery.GetProperty("data").GetProperty("experience_key").GetString());

        var impression = Assert.Single(_cardlytics.Events);
        Assert.Equal("AdImpression", impression.GetProperty("clientEventType").GetString());
        Assert.Equal(ServeToken, impression.GetProperty("clientEventMetadata").GetProperty("serveToken").GetString());
        Assert.Equal("LatestOffers", impression.GetProperty("clientEventMetadata").GetProperty("section").GetString());
    }

    /// <summary>MoEngage's answer for <c>home-hero</c>: a title, a link and the Cardlytics serve token of the offer it shows.</summary>
    private static StubResponse HeroWithServeToken(RecordedRequest request)
    {
        var experiences = new JsonObject();
        if (MoEngageStub.Keys(request).Contains("home-hero"))
        {
            experiences["home-hero"] = new JsonObject
            {
                ["payload"] = new JsonObject
                {
                    ["Title"] = new JsonObject { ["value"] = "Spring sale", ["data_type"] = "string" },
                    ["CtaUrl"] = new JsonObject { ["value"] = "/products/spring", ["data_type"] = "string" },
                    ["serveToken"] = new JsonObject { ["value"] = ServeToken, ["data_type"] = "string" },
                },
                ["experience_context"] = MoEngageStub.Context("home-hero"),
            };
        }

        return StubResponse.Json(new JsonObject { ["experiences"] = experiences }.ToJsonString());
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["Personalization__Provider"] = "MoEngage",
        ["Personalization__MoEngage__BaseUrl"] = _moEngage.Url.ToString(),
        ["Personalization__MoEngage__WorkspaceId"] = MoEngageStub.WorkspaceId,
        ["Personalization__MoEngage__ApiKey"] = MoEngageStub.ApiKey,
        ["Personalization__MoEngage__Timeout"] = "00:00:05",
        ["Personalization__MoEngage__HttpTimeout"] = "00:00:06",
        ["Personalization__Tracking__FlushInterval"] = "00:00:00.100",
        ["Personalization__Tracking__Optimizely__ApiKey"] = "odp-private-key",
        ["Personalization__Tracking__Optimizely__BaseUrl"] = _optimizely.Url.ToString(),
        ["Personalization__Tracking__Cardlytics__ClientId"] = CardlyticsStub.ClientId,
        ["Personalization__Tracking__Cardlytics__Secret"] = CardlyticsStub.Secret,
        ["Personalization__Tracking__Cardlytics__BaseUrl"] = _cardlytics.Server.Url.ToString(),
        ["Personalization__Tracking__Cardlytics__Section"] = "LatestOffers",
    };
}
