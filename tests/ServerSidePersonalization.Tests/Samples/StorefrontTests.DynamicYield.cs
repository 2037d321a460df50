using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Vendors.Local;
using Storefront;

namespace ServerSidePersonalization.Tests.Samples;

/// <summary>The sample's pages with Dynamic Yield chosen by configuration alone, and its recommendations widget.</summary>
public sealed partial class StorefrontTests
{
    private const string ChoosePath = "/v2/serve/user/choose";
    private const string EngagementPath = "/v2/collect/user/engagement";

    [Fact]
    public async Task ProductPage_Local_RecommendationItemsAreTrackedSlotClicks()
    {
        using var client = CreateClient(_factory);
        var visitor = ("ssp_vid", "recs-visitor-" + Guid.NewGuid().ToString("N"));
        var store = _factory.Services.GetRequiredService<LocalTrackingStore>();

        var page = await GetWithCookieAsync(client, "/products/wool-overcoat", visitor);
        var links = RecommendationLink().Matches(page).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        using var click = await GetWithCookieAsync(client, links[0], visitor, readBody: false);

        // Three items, less the product being shown when a variation recommends it.
        Assert.InRange(links.Count, 2, 3);
        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.StartsWith("/products/", click.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.True(await Eventually.TrueAsync(() => store.Snapshot().Any(r => r.Kind == "click" && r.Experience == "product-recs")));
        var recorded = store.Snapshot().Where(r => r.Experience == "product-recs").ToList();
        Assert.Single(recorded, r => r.Kind == "impression");
        Assert.StartsWith("local-", Assert.Single(recorded, r => r.Kind == "click").Slot, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_PointedAtDynamicYieldByConfigurationAlone_RendersSetsIdsAndReportsTheClick()
    {
        await using var stub = await StubVendorServer.StartAsync();
        stub.Respond = request => request.Path == ChoosePath
            ? StubResponse.Json(ChooseAnswer(request))
            : new StubResponse(204);
        await using var factory = _factory.WithWebHostBuilder(web => web.ConfigureAppConfiguration((_, config) =>
            config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Personalization:Provider"] = "DynamicYield",
                ["Personalization:DynamicYield:ApiKey"] = "dy-key",
                ["Personalization:DynamicYield:BaseUrl"] = stub.Url.ToString(),
            })));
        using var client = CreateClient(factory);

        using var first = await client.GetAsync("/");
        var firstPage = await first.Content.ReadAsStringAsync();
        var cookies = first.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", string.Join("; ", cookies));
        using var reload = await client.SendAsync(request);
        var reloadPage = await reload.Content.ReadAsStringAsync();
        var clickRequest = new HttpRequestMessage(HttpMethod.Get, WebUtility.HtmlDecode(Cta().Match(reloadPage).Groups[1].Value));
        clickRequest.Headers.Add("Cookie", string.Join("; ", cookies));
        using var click = await client.SendAsync(clickRequest);

        Assert.Equal("Dynamic Yield hero", Headline(firstPage));
        Assert.Equal("Dynamic Yield hero", Headline(reloadPage));
        Assert.Contains("_dyid_server=7282320792394869879", cookies);
        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal("/products/wool-overcoat", click.Headers.Location?.OriginalString);
        Assert.True(
            await Eventually.TrueAsync(() => Engagements(stub).Any(e => e.GetProperty("type").GetString() == "CLICK")),
            string.Join("\n", stub.Requests.Select(r => r.Path + " " + r.Text)));
        var clickSent = Assert.Single(Engagements(stub), e => e.GetProperty("type").GetString() == "CLICK");
        Assert.Equal("decision-home-hero", clickSent.GetProperty("decisionId").GetString());
        Assert.Equal([501], clickSent.GetProperty("variations").EnumerateArray().Select(v => v.GetInt64()));
        Assert.All(
            stub.Requests.Where(r => r.Path == EngagementPath),
            r => Assert.Equal("7282320792394869879", r.Json.GetProperty("user").GetProperty("dyid").GetString()));
        Assert.True(
            await Eventually.TrueAsync(() => Engagements(stub).Count(IsHeroImpression) == 2),
            string.Join("\n", stub.Requests.Select(r => r.Path + " " + r.Text)));
    }

    /// <summary>One IMP per page view that rendered the hero: the first (a new visitor, ids from the answer) and the reload.</summary>
    private static bool IsHeroImpression(JsonElement engagement) =>
        engagement.GetProperty("type").GetString() == "IMP" && engagement.GetProperty("decisionId").GetString() == "decision-home-hero";

    private static List<JsonElement> Engagements(StubVendorServer stub) =>
        [.. stub.Requests.Where(r => r.Path == EngagementPath).SelectMany(r => r.Json.GetProperty("engagements").EnumerateArray())];

    /// <summary>A hero with CUSTOM_JSON for every selector the call asks for, and new ids when the call carries none.</summary>
    private static string ChooseAnswer(RecordedRequest request)
    {
        var names = request.Json.GetProperty("selector").GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToList();
        var choices = names.Select(name => new
        {
            id = 1,
            name,
            type = "DECISION",
            decisionId = "decision-" + name,
            variations = new[]
            {
                new { id = 501, payload = new { type = "CUSTOM_JSON", data = (object)new { Title = "Dynamic Yield hero", CtaText = "Shop", CtaUrl = "/products/wool-overcoat" } } },
            },
        });
        var isNew = !request.Json.GetProperty("user").TryGetProperty("dyid", out _);
        object[] cookies = isNew
            ? [new { name = "_dyid_server", value = "7282320792394869879", maxAge = "31540000" }, new { name = "_dyjsession", value = "e3xi77qrxbsxxxmi", maxAge = "1800" }]
            : [];
        return JsonSerializer.Serialize(new { choices, cookies });
    }

    private static async Task<string> GetWithCookieAsync(HttpClient client, string path, (string Name, string Value) cookie)
    {
        using var response = await GetWithCookieAsync(client, path, cookie, readBody: true);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(HttpClient client, string path, (string Name, string Value) cookie, bool readBody)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        var response = await client.SendAsync(request);
        if (readBody)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        return response;
    }

    [GeneratedRegex("<a class=\"rec\" href=\"(/_personalization/click\\?t=[^\"]+)\"")]
    private static partial Regex RecommendationLink();
}
