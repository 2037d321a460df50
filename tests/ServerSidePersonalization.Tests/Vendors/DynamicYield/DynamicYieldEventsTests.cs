using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tracking;
using ServerSidePersonalization.Vendors.DynamicYield.Events;

namespace ServerSidePersonalization.Tests.Vendors.DynamicYield;

/// <summary>
/// Conversions reported to Dynamic Yield's <c>/v2/collect/user/event</c> end to end: a real app's endpoint calls
/// <c>TrackConversion</c>, the real pipeline and dispatcher deliver with the real HTTP client to a stub Dynamic Yield on
/// loopback Kestrel, and the tests compare what arrived with the examples of Dynamic Yield's event document.
/// </summary>
public sealed class DynamicYieldEventsTests : IAsyncLifetime, IDisposable
{
    private const string ApiKey = "baadc6ba740a352c9106dc7857a7eb9c";
    private const string EventPath = "/v2/collect/user/event";
    private const string Destination = "DynamicYieldEvents";
    private const string Dyid = "-4350463893986789401";
    private const string DySession = "ohyr6v42l9zd4bpinnvp7urjjx9lrssw";
    private const string ClientIp = "54.100.200.255";
    private const string ClientIpHeader = "X-Test-Client-Ip";
    private const string Hash = "62eccc43b550b012b7ea7fb07e64baafb1508d8b715a55148ccf0f3322eab1a1";

    /// <summary>The envelope of the document's web-mode examples, for the cookies below and the client address above.</summary>
    private const string WebEnvelope =
        $$"""
        "user": { "dyid": "{{Dyid}}", "dyid_server": "{{Dyid}}" },
        "session": { "dy": "{{DySession}}" },
        "context": { "device": { "ip": "{{ClientIp}}" } }
        """;

    private static readonly (string Name, string Value)[] WebModeCookies =
        [("_dyid", Dyid), ("_dyid_server", Dyid), ("_dyjsession", DySession)];

    /// <summary>
    /// For each schema, an event made with the typed API and the event the document shows for it. Where the document
    /// gives an example it is copied (as JSON: its unquoted keys and trailing commas fixed); where it only has a table,
    /// the example is built from the table.
    /// </summary>
    private static readonly Dictionary<string, (Func<DynamicYieldEvent> Create, string Event)> Documented = new()
    {
        ["add-to-cart"] = (
            () => new AddToCartEvent(39.95m, "item-34454ga", 1, currency: "GBP"),
            """{ "name": "Add to Cart", "properties": { "dyType": "add-to-cart-v1", "value": 39.95, "currency": "GBP", "productId": "item-34454ga", "quantity": 1 } }"""),
        ["add-to-cart with cart"] = (
            () => new AddToCartEvent(198.00m, "p-tv78615a", 2, cart: [new("p-cr91275g", 1, 49.95m), new("p-tv78615a", 2, 99.00m)]),
            """
            { "name": "Add to Cart", "properties": { "dyType": "add-to-cart-v1", "value": 198.00, "productId": "p-tv78615a", "quantity": 2,
              "cart": [ { "productId": "p-cr91275g", "quantity": 1, "itemPrice": 49.95 }, { "productId": "p-tv78615a", "quantity": 2, "itemPrice": 99.00 } ] } }
            """),
        ["add-to-cart named"] = (
            () => new AddToCartEvent(1m, "p-tv78615a", 1, cart: [new("p-tv78615a", 1, 1m)], name: "Application Started"),
            """
            { "name": "Application Started", "properties": { "dyType": "add-to-cart-v1", "value": 1, "productId": "p-tv78615a", "quantity": 1,
              "cart": [ { "productId": "p-tv78615a", "quantity": 1, "itemPrice": 1 } ] } }
            """),
        ["remove-from-cart"] = (
            () => new RemoveFromCartEvent(99.00m, "p-tv78615a", 1, currency: "GBP", cart: [new("p-tv78615a", 1, 99.00m)]),
            """
            { "name": "Remove from Cart", "properties": { "dyType": "remove-from-cart-v1", "value": 99.00, "currency": "GBP", "productId": "p-tv78615a",
              "quantity": 1, "cart": [ { "productId": "p-tv78615a", "quantity": 1, "itemPrice": 99.00 } ] } }
            """),
        ["sync-cart"] = (
            () => new SyncCartEvent([new("p-cr91275g", 3, 49.95m)]),
            """{ "name": "Sync Cart", "properties": { "dyType": "sync-cart-v1", "cart": [ { "productId": "p-cr91275g", "quantity": 3, "itemPrice": 49.95 } ] } }"""),
        ["purchase"] = (
            () => new PurchaseEvent(349.80m, [new("p-tv78615a", 1, 249.90m), new("p-cr91275g", 2, 49.95m)], "exampleTransactionId"),
            """
            { "name": "Purchase", "properties": { "dyType": "purchase-v1", "value": 349.80, "uniqueTransactionId": "exampleTransactionId",
              "cart": [ { "productId": "p-tv78615a", "quantity": 1, "itemPrice": 249.90 }, { "productId": "p-cr91275g", "quantity": 2, "itemPrice": 49.95 } ] } }
            """),
        ["purchase named"] = (
            () => new PurchaseEvent(349.80m, [new("p-tv78615a", 1, 249.90m)], "exampleTransactionId", name: "Submission"),
            """
            { "name": "Submission", "properties": { "dyType": "purchase-v1", "value": 349.80, "uniqueTransactionId": "exampleTransactionId",
              "cart": [ { "productId": "p-tv78615a", "quantity": 1, "itemPrice": 249.90 } ] } }
            """),
        ["login"] = (
            () => new LoginEvent(hashedEmail: Hash),
            $$"""{ "name": "Login", "properties": { "dyType": "login-v1", "hashedEmail": "{{Hash}}" } }"""),
        ["login cuid"] = (
            () => new LoginEvent(cuid: Hash, cuidType: "clientId"),
            $$"""{ "name": "Login", "properties": { "dyType": "login-v1", "cuidType": "clientId", "cuid": "{{Hash}}" } }"""),
        ["signup"] = (
            () => new SignupEvent(hashedEmail: Hash),
            $$"""{ "name": "Sign Up", "properties": { "dyType": "signup-v1", "hashedEmail": "{{Hash}}" } }"""),
        ["identify"] = (
            () => new IdentifyEvent(hashedEmail: Hash),
            $$"""{ "name": "Identify User", "properties": { "dyType": "identify-v1", "hashedEmail": "{{Hash}}" } }"""),
        ["identify cuid"] = (
            () => new IdentifyEvent(cuid: Hash, cuidType: "clientId"),
            $$"""{ "name": "Identify User", "properties": { "dyType": "identify-v1", "cuidType": "clientId", "cuid": "{{Hash}}" } }"""),
        ["add-to-wishlist"] = (
            () => new AddToWishlistEvent("p-tv78615a"),
            """{ "name": "Add to Wishlist", "properties": { "dyType": "add-to-wishlist-v1", "productId": "p-tv78615a" } }"""),
        ["newsletter-subscription"] = (
            () => new NewsletterSubscriptionEvent(DynamicYieldEmail.Hash("Jane.Doe@Example.com")),
            """
            { "name": "Newsletter Subscription", "properties": { "dyType": "newsletter-subscription-v1",
              "hashedEmail": "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d" } }
            """),
        ["keyword-search"] = (
            () => new KeywordSearchEvent("  65\" OLED tv "),
            """{ "name": "Keyword Search", "properties": { "dyType": "keyword-search-v1", "keywords": "  65\" OLED tv " } }"""),
        ["video-watch"] = (
            () => new VideoWatchEvent("v-g67811a-people-watching-got-finale", autoPlay: true, progress: VideoWatchProgress.PrerollFinished, name: "Video Pre-roll Ended"),
            """
            { "name": "Video Pre-roll Ended", "properties": { "dyType": "video-watch-v1", "itemId": "v-g67811a-people-watching-got-finale",
              "autoplay": true, "progress": "PREROLL_FINISHED" } }
            """),
        ["video-watch progress"] = (
            () => new VideoWatchEvent("v-1", progress: VideoWatchProgress.VideoProgress, progressPercent: 65),
            """{ "name": "Video Watch", "properties": { "dyType": "video-watch-v1", "itemId": "v-1", "progress": "VIDEO_PROGRESS", "progressPercent": 65 } }"""),
        ["custom"] = (
            () => new CustomEvent("Filled Post-Purchase Survey", new Dictionary<string, object>
            {
                ["customerRole"] = "VP of Staplers", ["experienceRating"] = 4, ["likesSpecialOffers"] = true,
            }),
            """
            { "name": "Filled Post-Purchase Survey", "properties": { "customerRole": "VP of Staplers", "experienceRating": 4, "likesSpecialOffers": true } }
            """),
        ["custom string flag"] = (
            () => new CustomEvent("ExampleEvent1", new Dictionary<string, object> { ["isVIP"] = "true" }),
            """{ "name": "ExampleEvent1", "properties": { "isVIP": "true" } }"""),
        ["custom without properties"] = (() => new CustomEvent("exampleEvent2"), """{ "name": "exampleEvent2" }"""),
        ["custom with value"] = (
            () => new CustomEvent("Quote Accepted", new Dictionary<string, object> { ["plan"] = "gold" }, value: 120.5m, currency: "EUR"),
            """{ "name": "Quote Accepted", "properties": { "value": 120.5, "currency": "EUR", "plan": "gold" } }"""),
    };

    /// <summary>For each schema, an event the document forbids, and the field the refusal must name.</summary>
    private static readonly Dictionary<string, (Func<DynamicYieldEvent> Create, string Field)> Forbidden = new()
    {
        ["add-to-cart"] = (() => new AddToCartEvent(39.95m, "item-34454ga", -1), "quantity"),
        ["remove-from-cart"] = (() => new RemoveFromCartEvent(-39.95m, "item-34454ga", 1), "value"),
        ["sync-cart"] = (() => new SyncCartEvent(null!), "cart"),
        ["purchase"] = (() => new PurchaseEvent(349.80m, [new("p-tv78615a", 1, 249.90m)], new string('x', 65)), "uniqueTransactionId"),
        ["login"] = (() => new LoginEvent(hashedEmail: "jane.doe@example.com"), "hashedEmail"),
        ["signup"] = (() => new SignupEvent(cuidType: "crmId"), "cuid"),
        ["identify"] = (() => new IdentifyEvent(), "hashedEmail"),
        ["add-to-wishlist"] = (() => new AddToWishlistEvent(""), "productId"),
        ["newsletter-subscription"] = (() => new NewsletterSubscriptionEvent(Hash.ToUpperInvariant()), "hashedEmail"),
        ["keyword-search"] = (() => new KeywordSearchEvent(""), "keywords"),
        ["video-watch"] = (() => new VideoWatchEvent("v-1", progressPercent: 65), "progressPercent"),
        ["custom"] = (() => new CustomEvent("Survey", new Dictionary<string, object> { ["answers"] = new[] { 1, 2 } }), "properties"),
    };

    private StubVendorServer _stub = null!;
    private MetricsCollector? _metrics;

    public static TheoryData<string> DocumentedCases => [.. Documented.Keys];

    public static TheoryData<string> ForbiddenCases => [.. Forbidden.Keys];

    public async Task InitializeAsync()
    {
        _stub = await StubVendorServer.StartAsync();
        _stub.Respond = _ => new StubResponse(204);
    }

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    public void Dispose() => _metrics?.Dispose();

    [Fact]
    public async Task AddToCart_WebMode_SendsTheDocumentsFirstExampleExactly()
    {
        await using var app = await StartAppAsync();

        await TrackAsync(app, "add-to-cart");

        var sent = await SingleDeliveredAsync();
        Assert.Equal("POST", sent.Method);
        Assert.Equal(EventPath, sent.Path);
        Assert.Equal(ApiKey, sent.Header("DY-API-Key"));
        Assert.Equal("application/json", sent.Header("Content-Type"));
        Assert.Equal(
            $$$"""{"user":{"dyid":"{{{Dyid}}}","dyid_server":"{{{Dyid}}}"},"session":{"dy":"{{{DySession}}}"},"context":{"device":{"ip":"{{{ClientIp}}}"}},"events":[{"name":"Add to Cart","properties":{"dyType":"add-to-cart-v1","value":39.95,"currency":"GBP","productId":"item-34454ga","quantity":1}}]}""",
            sent.Text);
    }

    [Theory]
    [MemberData(nameof(DocumentedCases))]
    public async Task TrackConversion_DocumentedEvent_SendsTheDocumentsBody(string documentedCase)
    {
        await using var app = await StartAppAsync();

        await TrackAsync(app, documentedCase);

        var sent = await SingleDeliveredAsync();
        Assert.Equal(EventPath, sent.Path);
        Assert.Equal(ApiKey, sent.Header("DY-API-Key"));
        AssertJson($$"""{ {{WebEnvelope}}, "events": [ {{Documented[documentedCase].Event}} ] }""", sent.Text);
    }

    [Theory]
    [MemberData(nameof(ForbiddenCases))]
    public async Task TrackConversion_EventTheDocumentForbids_RefusedNamingTheFieldAndNothingSent(string forbiddenCase)
    {
        await using var app = await StartAppAsync();

        using var refused = await app.GetAsync("/track-forbidden/" + Uri.EscapeDataString(forbiddenCase), WebModeCookies);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(Forbidden[forbiddenCase].Field, await refused.Content.ReadAsStringAsync());

        // The queue is in order: had anything been queued by the refused call, it would arrive before this one.
        await TrackAsync(app, "keyword-search");
        var sent = await SingleDeliveredAsync();
        Assert.Contains("keyword-search-v1", sent.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrackConversion_ApiOnlyMode_SendsTheSitesIdsAndSession()
    {
        var now = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
        await using var app = await StartAppAsync(new FakeTimeProvider(now), ("Personalization:DynamicYield:Mode", "ApiOnly"));

        await TrackAsync(
            app,
            "add-to-cart",
            cookies: [("ssp_vid", "yaexono4ohphania"), ("ssp_dysid", "0a1b2c3d4e5f6071." + now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))],
            customer: "customer-42");

        var sent = await SingleDeliveredAsync();
        Assert.Equal(EventPath, sent.Path);
        Assert.Equal(ApiKey, sent.Header("DY-API-Key"));

        // The document's API-only example, with this session: the customer id is not the device's user id.
        AssertJson(
            $$"""
            {
              "user": { "id": "yaexono4ohphania" },
              "session": { "custom": "0a1b2c3d4e5f6071" },
              "context": { "device": { "ip": "{{ClientIp}}" } },
              "events": [ {{Documented["add-to-cart"].Event}} ]
            }
            """,
            sent.Text);
    }

    /// <summary>
    /// An email customer id reaches Dynamic Yield only where its document asks for a hash: <c>hashedEmail</c> of an
    /// identifying event. The device's ids stay the user; the address itself is in no request.
    /// </summary>
    [Fact]
    public async Task TrackConversion_EmailCustomerLogsIn_OnlyTheHashedEmailLeaves()
    {
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("jane.doe@example.com"u8));
        await using var app = await StartAppAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/track-login");
        request.Headers.Add("Cookie", string.Join("; ", WebModeCookies.Select(c => $"{c.Name}={c.Value}")));
        request.Headers.Add(TestUser.HeaderPrefix + "nameid", "Jane.Doe@Example.com");

        (await app.Client.SendAsync(request)).Dispose();

        var sent = await SingleDeliveredAsync();
        AssertJson(
            $$"""{ {{WebEnvelope}}, "events": [ { "name": "Login", "properties": { "dyType": "login-v1", "hashedEmail": "{{expected}}" } } ] }""",
            sent.Text);
        Assert.DoesNotContain("jane.doe", sent.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("jane.doe", app.Logs.AllText, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:198.51.100.20", "198.51.100.20")]
    [InlineData("2001:db8::7", "2001:db8::7")]
    public async Task TrackConversion_ClientAddress_SentAsDeviceIp(string remote, string expected)
    {
        await using var app = await StartAppAsync();

        await TrackAsync(app, "login", clientIp: remote);

        var sent = await SingleDeliveredAsync();
        Assert.Equal(expected, sent.Json.GetProperty("context").GetProperty("device").GetProperty("ip").GetString());
    }

    [Fact]
    public async Task TrackConversion_SiteDoesNotCollectTheAddress_NoContext()
    {
        await using var app = await StartAppAsync(("Personalization:Context:IncludeIpAddress", "false"));

        await TrackAsync(app, "login");

        var sent = await SingleDeliveredAsync();
        AssertJson(
            $$"""
            {
              "user": { "dyid": "{{Dyid}}", "dyid_server": "{{Dyid}}" },
              "session": { "dy": "{{DySession}}" },
              "events": [ {{Documented["login"].Event}} ]
            }
            """,
            sent.Text);
    }

    [Fact]
    public async Task TrackConversion_WebModeWithoutDynamicYieldCookies_SkippedAndNothingSent()
    {
        await using var app = await StartAppAsync();

        await TrackAsync(app, "purchase", cookies: []);

        // Skipping happens when the event is offered to the queue, before the request ends.
        Assert.Equal(1, _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", Destination), ("outcome", "skipped"), ("reason", "no_dyid")));
        await TrackAsync(app, "keyword-search");
        var sent = await SingleDeliveredAsync();
        Assert.Contains("keyword-search-v1", sent.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrackConversion_AnotherVendorsConversion_NotSentNorCountedAsSkipped()
    {
        await using var app = await StartAppAsync();

        using var response = await app.GetAsync("/track-other", WebModeCookies);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await TrackAsync(app, "keyword-search");
        var sent = await SingleDeliveredAsync();
        Assert.Contains("keyword-search-v1", sent.Text, StringComparison.Ordinal);
        Assert.Equal(0, _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", Destination), ("outcome", "skipped")));
    }

    [Fact]
    public async Task TrackConversion_ServerErrorThen204_RetriedWithTheSameBody()
    {
        var answers = 0;
        _stub.Respond = _ => Interlocked.Increment(ref answers) == 1 ? StubResponse.Json("""{"error":"oops"}""", 500) : new StubResponse(204);
        await using var app = await StartAppAsync();

        await TrackAsync(app, "purchase");

        Assert.True(await Eventually.TrueAsync(() => Delivered() == 1), $"Delivered {Delivered()}; the stub got {_stub.Requests.Count} request(s).");
        var requests = _stub.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal(requests[0].Text, requests[1].Text);
        Assert.All(requests, r => Assert.Equal(ApiKey, r.Header("DY-API-Key")));
        AssertJson($$"""{ {{WebEnvelope}}, "events": [ {{Documented["purchase"].Event}} ] }""", requests[1].Text);
        Assert.Equal(0, _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", Destination), ("outcome", "dropped")));
    }

    [Fact]
    public async Task TrackConversion_Unprocessable422_DroppedAfterOneRequest()
    {
        _stub.Respond = _ => StubResponse.Json("""{"error":"Request body did not match schema"}""", 422);
        await using var app = await StartAppAsync();

        await TrackAsync(app, "purchase");

        Assert.True(await Eventually.TrueAsync(() => Dropped() == 1), $"Dropped {Dropped()}; the stub got {_stub.Requests.Count} request(s).");
        var sent = Assert.Single(_stub.Requests);
        Assert.Equal(EventPath, sent.Path);
        Assert.Equal(0, Delivered());
        var rejected = Assert.Single(app.Logs.Named("TrackingBatchRejected"));
        Assert.Contains("HTTP 422", rejected.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, app.Logs.AllText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public async Task Start_DynamicYieldTrackingSwitch_TurnsEventsOnAndOff(string? enabled, bool expected)
    {
        await using var app = await StartAppAsync(("Personalization:Tracking:DynamicYield:Enabled", enabled));

        var queues = app.Services.GetRequiredService<TrackingPipeline>().Queues;

        Assert.Equal(expected, queues.Any(q => q.Destination.Name == Destination));
    }

    private static void AssertJson(string expected, string actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        var actualNode = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(expectedNode, actualNode), $"Expected {expectedNode?.ToJsonString()}\nSent     {actual}");
    }

    private static Dictionary<string, string?> Settings(StubVendorServer stub, params (string Key, string? Value)[] extra) =>
        DynamicYieldStub.TrackingSettings(stub, ApiKey, extra);

    private Task<TestApp> StartAppAsync(params (string Key, string? Value)[] extra) => StartAppAsync(time: null, extra);

    /// <summary>Starts the app with the stub as Dynamic Yield, the client address from a header, the endpoints, and its metrics recorded.</summary>
    private async Task<TestApp> StartAppAsync(TimeProvider? time, params (string Key, string? Value)[] extra)
    {
        var app = await TestApp.StartAsync(
            Settings(_stub, extra),
            beforePersonalization: web =>
            {
                web.Use((context, next) =>
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(
                        context.Request.Headers.TryGetValue(ClientIpHeader, out var ip) ? ip.ToString() : ClientIp);
                    return next(context);
                });
                web.UseTestUser();
            },
            endpoints: MapEndpoints,
            time: time);
        _metrics = new MetricsCollector(app.Services);
        return app;
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapGet("/track/{name}", (HttpContext context, string name) =>
        {
            context.GetPersonalization().TrackConversion(Documented[name].Create());
            return Results.Ok();
        });
        app.MapGet("/track-forbidden/{name}", (HttpContext context, string name) =>
        {
            try
            {
                context.GetPersonalization().TrackConversion(Forbidden[name].Create());
                return Results.Ok();
            }
            catch (ArgumentException error)
            {
                return Results.Text(error.ParamName, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        app.MapGet("/track-login", (HttpContext context) =>
        {
            var personalization = context.GetPersonalization();
            personalization.TrackConversion(new LoginEvent(hashedEmail: DynamicYieldEmail.Hash(personalization.Identity.CustomerId!)));
            return Results.Ok();
        });
        app.MapGet("/track-other", (HttpContext context) =>
        {
            context.GetPersonalization().TrackConversion(new OtherVendorConversion());
            return Results.Ok();
        });
    }

    private static async Task TrackAsync(
        TestApp app, string documentedCase, (string Name, string Value)[]? cookies = null, string? clientIp = null, string? customer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/track/" + Uri.EscapeDataString(documentedCase));
        cookies ??= WebModeCookies;
        if (cookies.Length > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        }

        if (clientIp is not null)
        {
            request.Headers.Add(ClientIpHeader, clientIp);
        }

        if (customer is not null)
        {
            request.Headers.Add(TestUser.HeaderPrefix + "nameid", customer);
        }

        using var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Waits until the events destination counted one delivery, then returns the only request the stub got.</summary>
    private async Task<RecordedRequest> SingleDeliveredAsync()
    {
        Assert.True(await Eventually.TrueAsync(() => Delivered() == 1), $"Delivered {Delivered()}; the stub got {_stub.Requests.Count} request(s).");
        return Assert.Single(_stub.Requests);
    }

    private long Delivered() =>
        _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", Destination), ("outcome", "delivered"));

    private long Dropped() =>
        _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", Destination), ("outcome", "dropped"), ("reason", TrackingDropReason.Rejected));

    /// <summary>A conversion meant for some other vendor.</summary>
    private sealed class OtherVendorConversion : IConversionEvent
    {
        public string Name => "Other";
    }
}
