using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Vendors.MoEngage;

/// <summary>
/// Which id MoEngage is sent, in the fetch and in the events of the same page view, through the real app and a stub
/// MoEngage on loopback; the bodies are compared whole. The standard in-session attributes are switched off so that a
/// fetch body holds the ids and the keys only.
/// </summary>
public sealed class MoEngageUserTests : IAsyncLifetime
{
    private const string Customer = "customer-42";
    private const string SiteVisitor = "visitor-1";
    private const string DeviceId = "device-9";

    private StubVendorServer _stub = null!;

    public async Task InitializeAsync()
    {
        _stub = await StubVendorServer.StartAsync();
        _stub.Respond = MoEngageStub.Route(AnswerNamingTheUser);
    }

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task SignedInCustomer_CustomerIdInFetchAndEvents_NoVisitorId()
    {
        await using var app = await StartAsync();

        await GetHeroAsync(app, signedIn: true, ("ssp_vid", SiteVisitor), ("moe_uuid", DeviceId));

        AssertFetchBody("""{"customer_id":"customer-42","experience_key":["hero"]}""");
        var element = await SingleEventElementAsync(app);
        Assert.Equal(["actions", "customer_id"], element.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(Customer, (string?)element["customer_id"]);
        Assert.Equal("hero@customer_id=customer-42", (string?)element["actions"]![0]!["attributes"]!["cid"]);
    }

    /// <summary>
    /// MoEngage knows users by the id the site gives them, an email address included (its document's own example is
    /// <c>john@example.com</c>): the fetch and the events carry the address itself, and no log line holds it.
    /// </summary>
    [Fact]
    public async Task SignedInEmailCustomer_ByDefault_TheAddressItselfInFetchAndEvents()
    {
        const string email = "John.Smith@Example.com";
        await using var app = await StartAsync();

        await GetHeroAsync(app, email, ("ssp_vid", SiteVisitor), ("moe_uuid", DeviceId));

        AssertFetchBody("""{"customer_id":"John.Smith@Example.com","experience_key":["hero"]}""");
        var element = await SingleEventElementAsync(app);
        Assert.Equal(email, (string?)element["customer_id"]);
        Assert.Equal("hero@customer_id=John.Smith@Example.com", (string?)element["actions"]![0]!["attributes"]!["cid"]);
        Assert.DoesNotContain("john.smith", app.Logs.AllText, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>With <c>CustomerId=Sha256</c> an email address goes as the SHA-256 of its trimmed, lower-cased form, in both.</summary>
    [Fact]
    public async Task SignedInEmailCustomer_CustomerIdSha256_TheHashInFetchAndEvents()
    {
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("john.smith@example.com"u8));
        await using var app = await StartAsync([("Personalization:MoEngage:CustomerId", "Sha256")]);

        await GetHeroAsync(app, "John.Smith@Example.com", ("ssp_vid", SiteVisitor));

        AssertFetchBody($$"""{"customer_id":"{{expected}}","experience_key":["hero"]}""");
        Assert.Equal(expected, (string?)(await SingleEventElementAsync(app))["customer_id"]);
    }

    /// <summary>Only an email address is hashed: another customer id is the id MoEngage knows either way.</summary>
    [Fact]
    public async Task SignedInCustomerNotAnEmail_CustomerIdSha256_SentAsIs()
    {
        await using var app = await StartAsync([("Personalization:MoEngage:CustomerId", "Sha256")]);

        await GetHeroAsync(app, signedIn: true, ("ssp_vid", SiteVisitor));

        AssertFetchBody("""{"customer_id":"customer-42","experience_key":["hero"]}""");
        Assert.Equal(Customer, (string?)(await SingleEventElementAsync(app))["customer_id"]);
    }

    /// <summary>The identity order decides <c>VisitorIdentity.VisitorId</c>; it must not decide what MoEngage is sent.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("Claims,VisitorCookie,MoEngage")]
    [InlineData("Claims,MoEngage,VisitorCookie")]
    public async Task AnonymousWithMoeUuidAndSiteCookie_MoeUuidIsVisitorIdInFetchAndCustomerIdInEvents(string? order)
    {
        await using var app = await StartAsync(Order(order));

        await GetHeroAsync(app, signedIn: false, ("ssp_vid", SiteVisitor), ("moe_uuid", DeviceId));

        AssertFetchBody("""{"visitor_id":"device-9","experience_key":["hero"]}""");
        var element = await SingleEventElementAsync(app);
        Assert.Equal(DeviceId, (string?)element["customer_id"]);
        Assert.Equal("hero@visitor_id=device-9", (string?)element["actions"]![0]!["attributes"]!["cid"]);
    }

    /// <summary>Another vendor's device id, first in the order here, is never sent to MoEngage.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("Claims,DynamicYield,VisitorCookie,MoEngage")]
    public async Task AnonymousWithOnlyTheSiteCookie_SiteVisitorIdIsCustomerIdInFetchAndEvents(string? order)
    {
        await using var app = await StartAsync(Order(order));

        await GetHeroAsync(app, signedIn: false, ("ssp_vid", SiteVisitor), ("_dyid", "dy-1"));

        AssertFetchBody("""{"customer_id":"visitor-1","experience_key":["hero"]}""");
        var element = await SingleEventElementAsync(app);
        Assert.Equal(SiteVisitor, (string?)element["customer_id"]);
        Assert.Equal("hero@customer_id=visitor-1", (string?)element["actions"]![0]!["attributes"]!["cid"]);
    }

    [Fact]
    public async Task NewVisitor_TheCookieIssuedOnThePageIsCustomerIdInFetchAndEvents()
    {
        await using var app = await StartAsync();

        using var response = await app.GetAsync("/Tags/Hero");

        var issued = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ssp_vid=", StringComparison.Ordinal))
            .Split(';')[0]["ssp_vid=".Length..];
        AssertFetchBody($$"""{"customer_id":"{{issued}}","experience_key":["hero"]}""");
        Assert.Equal(issued, (string?)(await SingleEventElementAsync(app))["customer_id"]);
    }

    [Fact]
    public async Task AnonymousVisitorsSkip_NoFetchNoEventForTheAnonymous_TheCustomerStillSent()
    {
        await using var app = await StartAsync(
            [("Personalization:MoEngage:AnonymousVisitors", "Skip")],
            endpoints: web => web.MapGet("/track-anyway", (HttpContext http) =>
            {
                // A MoEngage impression tracked by code for whoever is on the page: the destination decides.
                var context = JsonDocument.Parse(MoEngageStub.Context("hero").ToJsonString()).RootElement;
                http.GetPersonalization().TrackImpression(
                    new Experience("hero", new Dictionary<string, ExperienceValue>(), new ExperienceAttribution("MoEngage", context)));
                return "ok";
            }));
        using var metrics = new MetricsCollector(app.Services);

        var page = await GetHeroAsync(app, signedIn: false, ("ssp_vid", SiteVisitor), ("moe_uuid", DeviceId));
        using var tracked = await app.GetAsync("/track-anyway", ("ssp_vid", SiteVisitor), ("moe_uuid", DeviceId));
        var anonymousRequests = _stub.Requests.Count;
        await GetHeroAsync(app, signedIn: true, ("ssp_vid", SiteVisitor), ("moe_uuid", DeviceId));
        await app.App.StopAsync();

        Assert.Contains("<h1>Fallback hero</h1>", page, StringComparison.Ordinal);
        Assert.Equal(0, anonymousRequests);
        Assert.Equal(1, metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "skipped"), ("reason", "anonymous_visitors_skipped")));
        AssertFetchBody("""{"customer_id":"customer-42","experience_key":["hero"]}""");
        Assert.Equal([Customer], MoEngageStub.Actions(_stub).Select(a => a.CustomerId));
    }

    /// <summary>
    /// The Web SDK sets <c>moe_uuid</c> after the first page. The next page, within the first answer's cache lifetime,
    /// is fetched again for the device id, so its impression is reported with the experience fetched for that id.
    /// </summary>
    [Fact]
    public async Task MoeUuidArrivesWithinTheCacheTtl_FetchedAgainForIt_EachImpressionCarriesTheContextFetchedForItsId()
    {
        await using var app = await StartAsync(time: new FakeTimeProvider(new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.Zero)));

        await GetHeroAsync(app, signedIn: false, ("ssp_vid", SiteVisitor));
        await GetHeroAsync(app, signedIn: false, ("ssp_vid", SiteVisitor), ("moe_uuid", DeviceId));
        await GetHeroAsync(app, signedIn: false, ("ssp_vid", SiteVisitor), ("moe_uuid", DeviceId));
        await app.App.StopAsync();

        var fetches = FetchRequests();
        Assert.Equal(2, fetches.Count);
        AssertJson("""{"customer_id":"visitor-1","experience_key":["hero"]}""", fetches[0]);
        AssertJson("""{"visitor_id":"device-9","experience_key":["hero"]}""", fetches[1]);
        Assert.Equal(
            [(DeviceId, "hero@visitor_id=device-9"), (DeviceId, "hero@visitor_id=device-9"), (SiteVisitor, "hero@customer_id=visitor-1")],
            MoEngageStub.Actions(_stub).Select(a => (a.CustomerId, a.Action.GetProperty("attributes").GetProperty("cid").GetString())).Order());
    }

    /// <summary>An experience whose <c>cid</c> names the id field and value it was fetched for.</summary>
    private static StubResponse AnswerNamingTheUser(RecordedRequest request)
    {
        var body = request.Json;
        var user = body.TryGetProperty("customer_id", out var customer) ? "customer_id=" + customer.GetString()
            : body.TryGetProperty("visitor_id", out var visitor) ? "visitor_id=" + visitor.GetString()
            : "none";
        var experiences = new JsonObject();
        foreach (var key in MoEngageStub.Keys(request))
        {
            var context = MoEngageStub.Context(key);
            context["cid"] = $"{key}@{user}";
            experiences[key] = new JsonObject
            {
                ["payload"] = new JsonObject { ["Title"] = new JsonObject { ["value"] = $"Title of {key}", ["data_type"] = "string" } },
                ["experience_context"] = context,
            };
        }

        return StubResponse.Json(new JsonObject { ["experiences"] = experiences }.ToJsonString());
    }

    private static (string, string?)[] Order(string? order) =>
        order is null ? [] : [.. order.Split(',').Select((name, i) => ($"Personalization:Identity:Order:{i}", (string?)name))];

    private static void AssertJson(string expected, RecordedRequest sent) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(sent.Text)), $"Expected {expected}, sent {sent.Text}");

    private void AssertFetchBody(string expected) => AssertJson(expected, Assert.Single(FetchRequests()));

    private IReadOnlyList<RecordedRequest> FetchRequests() => [.. _stub.Requests.Where(r => r.Path == "/v1/experiences/fetch")];

    private async Task<JsonObject> SingleEventElementAsync(TestApp app)
    {
        await app.App.StopAsync();
        var request = Assert.Single(MoEngageStub.EventRequests(_stub));
        var elements = JsonNode.Parse(request.Text)!["elements"]!.AsArray();
        return Assert.Single(elements)!.AsObject();
    }

    private static Task<string> GetHeroAsync(TestApp app, bool signedIn, params (string Name, string Value)[] cookies) =>
        GetHeroAsync(app, signedIn ? Customer : null, cookies);

    private static async Task<string> GetHeroAsync(TestApp app, string? customer, params (string Name, string Value)[] cookies)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Tags/Hero");
        request.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        if (customer is not null)
        {
            request.Headers.Add(TestUser.HeaderPrefix + "nameid", customer);
        }

        using var response = await app.Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private Task<TestApp> StartAsync((string Key, string? Value)[]? settings = null, Action<WebApplication>? endpoints = null, TimeProvider? time = null) =>
        TestApp.StartAsync(
            MoEngageStub.Settings(_stub, [
                ("Personalization:Tracking:MoEngage:Enabled", "true"),
                ("Personalization:Tracking:FlushInterval", "00:00:00.050"),
                ("Personalization:Context:IncludeDayOfWeek", "false"),
                ("Personalization:Context:IncludeTimeOfDay", "false"),
                ("Personalization:Context:IncludeIpAddress", "false"),
                ("Personalization:Context:IncludeUserAgent", "false"),
                .. settings ?? []]),
            beforePersonalization: web => web.UseTestUser(),
            endpoints: endpoints,
            time: time);
}
