using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.Optimizely;
using ServerSidePersonalization.Tracking;
using ServerSidePersonalization.Vendors.Cardlytics;

namespace ServerSidePersonalization.Tests.Vendors.Cardlytics;

/// <summary>
/// Cardlytics client events against a stub on loopback: the session, the exact requests, session reuse, renewal on
/// 401, a new session after the token's life (fake clock), retries that keep each clientEventId, and the typed API.
/// </summary>
public sealed class CardlyticsEventsDestinationTests : IAsyncLifetime, IDisposable
{
    private const string Customer = "customer-42";
    private readonly ExperienceFiles _files = new();
    private CardlyticsStub _stub = null!;

    public async Task InitializeAsync() => _stub = new CardlyticsStub(await StubVendorServer.StartAsync());

    public async Task DisposeAsync() => await _stub.Server.DisposeAsync();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task PageViewAndClicks_SessionThenImpressionAndActivateOffer_ExactShape()
    {
        await using var app = await TestApp.StartAsync(_stub.Settings(
            ("Personalization:Local:File", OptimizelyStub.OfferFile(_files)), ("Personalization:Identity:CustomerIdHeader", "X-Customer")));
        using var metrics = new MetricsCollector(app.Services);

        var page = await PageAsync(app, "/Offers/Offer");
        using var activate = await SendAsync(app, OptimizelyStub.Link(page, "activate"));
        using var more = await SendAsync(app, OptimizelyStub.Link(page, "more"));

        Assert.Equal(HttpStatusCode.Redirect, activate.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, more.StatusCode);
        Assert.True(await Eventually.TrueAsync(() => _stub.Events.Count >= 2));
        var session = Assert.Single(_stub.Sessions);
        Assert.Equal("POST", session.Method);
        Assert.Equal(CardlyticsStub.SourceId(Customer), session.Header("x-source-customer-id"));
        Assert.StartsWith("application/json", session.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal($$"""{"clientId":"{{CardlyticsStub.ClientId}}","secret":"{{CardlyticsStub.Secret}}"}""", session.Text);
        foreach (var request in _stub.EventRequests)
        {
            Assert.Equal("Bearer tok-1", request.Header("Authorization"));
            Assert.Equal(CardlyticsStub.SourceId(Customer), request.Header("x-source-customer-id"));
        }

        var events = _stub.Events;
        Assert.Equal(2, events.Count);
        var impression = events.Single(e => e.GetProperty("clientEventType").GetString() == "AdImpression");
        var click = events.Single(e => e.GetProperty("clientEventType").GetString() == "AdInteraction");
        Assert.Equal("AdViewableImpression", impression.GetProperty("clientEvent").GetString());
        Assert.Equal("ActivateOffer", click.GetProperty("clientEvent").GetString());
        foreach (var e in events)
        {
            Assert.Equal(["clientEventId", "clientEventType", "clientEvent", "clientEventTimestamp", "clientEventMetadata"], e.EnumerateObject().Select(p => p.Name));
            Assert.True(Guid.TryParse(e.GetProperty("clientEventId").GetString(), out _));
            Assert.Matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$", e.GetProperty("clientEventTimestamp").GetString());
            Assert.Equal(
                """{"serveToken":"91e471aed3c04b81bee792f23ad4859d","section":"LatestOffers","channel":"OLB","displayPosition":2}""",
                e.GetProperty("clientEventMetadata").GetRawText());
        }

        // The link that names no offer action is not a Cardlytics click (no default configured): skipped and counted.
        Assert.Equal(1, metrics.Sum("personalization.tracking.events", ("destination", "Cardlytics"), ("reason", "no_click_event")));
        Assert.DoesNotContain(CardlyticsStub.Secret, app.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-1", app.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(Customer, app.Logs.AllText, StringComparison.Ordinal);
        Assert.Empty(app.Logs.Named("CardlyticsNoCustomerIdKey"));
    }

    [Fact]
    public async Task NoCustomerIdKey_EveryoneIsNoUserAvailable_OneWarning()
    {
        await using var app = await TestApp.StartAsync(_stub.Settings(
            ("Personalization:Tracking:Cardlytics:CustomerIdKey", null),
            ("Personalization:Tracking:Cardlytics:ClickEvent", "ParkOffer"),
            ("Personalization:Local:File", OptimizelyStub.OfferFile(_files)),
            ("Personalization:Identity:CustomerIdHeader", "X-Customer")));

        var page = await PageAsync(app, "/Offers/Offer");
        using var more = await SendAsync(app, OptimizelyStub.Link(page, "more"));

        Assert.True(await Eventually.TrueAsync(() => _stub.Events.Count >= 2));
        Assert.All(_stub.Server.Requests, r => Assert.Equal("no-user-available", r.Header("x-source-customer-id")));
        Assert.Contains(_stub.Events, e => e.GetProperty("clientEvent").GetString() == "ParkOffer");
        var warning = Assert.Single(app.Logs.Named("CardlyticsNoCustomerIdKey"));
        Assert.Contains("Personalization:Tracking:Cardlytics:CustomerIdKey", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_ReusedAcrossBatches_NewOneAfterTheTokensLife()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        await using var app = await TestApp.StartAsync(_stub.Settings(), time: clock);
        var destination = Create(app);

        Assert.Equal(DeliveryOutcome.Delivered, (await destination.SendAsync([Impression()], CancellationToken.None)).Outcome);
        Assert.Equal(DeliveryOutcome.Delivered, (await destination.SendAsync([Impression()], CancellationToken.None)).Outcome);
        clock.Advance(TimeSpan.FromMinutes(13));
        Assert.Equal(DeliveryOutcome.Delivered, (await destination.SendAsync([Impression()], CancellationToken.None)).Outcome);
        Assert.Single(_stub.Sessions);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(DeliveryOutcome.Delivered, (await destination.SendAsync([Impression()], CancellationToken.None)).Outcome);

        Assert.Equal(2, _stub.Sessions.Count);
        Assert.Equal(["Bearer tok-1", "Bearer tok-1", "Bearer tok-1", "Bearer tok-2"], _stub.EventRequests.Select(r => r.Header("Authorization")));
    }

    [Fact]
    public async Task ClientEvent401_RenewsTheSessionOnce_ResendsTheSameEvents()
    {
        _stub.ClientEvent = token => token == "tok-1" ? new StubResponse(401) : StubResponse.Json("{}");
        await using var app = await TestApp.StartAsync(_stub.Settings());
        var destination = Create(app);

        var result = await destination.SendAsync([Impression(), Impression()], CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        Assert.Equal(2, _stub.Sessions.Count);
        Assert.Equal(["Bearer tok-1", "Bearer tok-2"], _stub.EventRequests.Select(r => r.Header("Authorization")));
        Assert.Equal(Ids(_stub.EventRequests[0]), Ids(_stub.EventRequests[1]));
        Assert.Single(app.Logs.Named("CardlyticsSessionRenewed"));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task ClientEventRefusedAfterRenewal_Unauthorized_NamingTheCredentials(int status)
    {
        _stub.ClientEvent = _ => new StubResponse(status);
        await using var app = await TestApp.StartAsync(_stub.Settings());

        var result = await Create(app).SendAsync([Impression()], CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unauthorized, result.Outcome);
        Assert.Equal($"HTTP {status} from clientEvent: check Personalization:Tracking:Cardlytics:ClientId and Secret", result.Reason);
        Assert.Equal(status == 401 ? 2 : 1, _stub.EventRequests.Count);
        Assert.Equal(status == 401 ? 2 : 1, _stub.Sessions.Count);
    }

    [Theory]
    [InlineData(401, DeliveryOutcome.Unauthorized, "HTTP 401 from startSession: check Personalization:Tracking:Cardlytics:ClientId and Secret")]
    [InlineData(403, DeliveryOutcome.Unauthorized, "HTTP 403 from startSession: check Personalization:Tracking:Cardlytics:ClientId and Secret")]
    [InlineData(400, DeliveryOutcome.Rejected, "HTTP 400 from startSession")]
    [InlineData(429, DeliveryOutcome.Retry, "HTTP 429 from startSession")]
    [InlineData(500, DeliveryOutcome.Retry, "HTTP 500 from startSession")]
    [InlineData(200, DeliveryOutcome.Retry, "startSession answered without a session token")]
    public async Task StartSessionFails_MapsToOutcome_NoEventSent(int status, DeliveryOutcome outcome, string reason)
    {
        _stub.StartSession = _ => StubResponse.Json("{}", status);
        await using var app = await TestApp.StartAsync(_stub.Settings());

        var result = await Create(app).SendAsync([Impression()], CancellationToken.None);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Empty(_stub.EventRequests);
    }

    [Fact]
    public async Task Dispatcher_RetriesA500_KeepingEachClientEventId()
    {
        var calls = 0;
        _stub.ClientEvent = _ => Interlocked.Increment(ref calls) == 1 ? new StubResponse(500) : StubResponse.Json("{}");
        await using var app = await TestApp.StartAsync(_stub.Settings());

        await app.Services.GetRequiredService<TrackingPipeline>().EnqueueAsync(Impression());

        Assert.True(await Eventually.TrueAsync(() => _stub.EventRequests.Count >= 2));
        Assert.Equal(Ids(_stub.EventRequests[0]), Ids(_stub.EventRequests[1]));
        Assert.Single(_stub.Sessions);
    }

    [Fact]
    public async Task TrackConversion_SessionAction_MetadataNull()
    {
        await using var app = await TestApp.StartAsync(_stub.Settings(), endpoints: web => web.MapPost("/enrolled", (HttpContext context) =>
        {
            context.GetPersonalization().TrackConversion(CardlyticsClientEvent.SessionAction("LogEnrollment"));
            context.GetPersonalization().TrackConversion(CardlyticsClientEvent.AdInteraction("UnParkOffer", "serve-9", displayPosition: 0, section: "Hidden"));
            return Results.NoContent();
        }));

        using var response = await app.Client.PostAsync("/enrolled", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(await Eventually.TrueAsync(() => _stub.Events.Count >= 2));
        var enrollment = _stub.Events.Single(e => e.GetProperty("clientEventType").GetString() == "SessionAction");
        Assert.Equal("LogEnrollment", enrollment.GetProperty("clientEvent").GetString());
        Assert.Equal(JsonValueKind.Null, enrollment.GetProperty("clientEventMetadata").ValueKind);
        var unpark = _stub.Events.Single(e => e.GetProperty("clientEventType").GetString() == "AdInteraction");
        Assert.Equal("""{"serveToken":"serve-9","section":"Hidden","channel":"OLB","displayPosition":0}""", unpark.GetProperty("clientEventMetadata").GetRawText());
    }

    [Fact]
    public void ClientEvents_InvalidArguments_ThrowNamingTheArgument()
    {
        Assert.Equal("offerAction", Assert.Throws<ArgumentException>(() => CardlyticsClientEvent.AdInteraction("Activate", "t")).ParamName);
        Assert.Equal("serveToken", Assert.ThrowsAny<ArgumentException>(() => CardlyticsClientEvent.AdViewableImpression(" ")).ParamName);
        Assert.Equal("displayPosition", Assert.ThrowsAny<ArgumentException>(() => CardlyticsClientEvent.AdViewableImpression("t", -1)).ParamName);
        Assert.Equal("clientEvent", Assert.Throws<ArgumentException>(() => CardlyticsClientEvent.SessionAction("log enrollment")).ParamName);
        Assert.Equal("clientEvent", Assert.Throws<ArgumentException>(() => CardlyticsClientEvent.CustomerProfileAction("")).ParamName);
        Assert.Equal("AdImpression", CardlyticsClientEvent.AdViewableImpression("t").Type);
    }

    [Theory]
    [InlineData("Personalization:Tracking:Cardlytics:ClientId", "id", "Personalization:Tracking:Cardlytics:Secret is required when Personalization:Tracking:Cardlytics:ClientId is set")]
    [InlineData("Personalization:Tracking:Cardlytics:Secret", "s", "Personalization:Tracking:Cardlytics:ClientId is required when Personalization:Tracking:Cardlytics:Secret is set")]
    [InlineData("Personalization:Tracking:Cardlytics:Enabled", "true", "Personalization:Tracking:Cardlytics:ClientId is required when Personalization:Tracking:Cardlytics:Enabled is true")]
    public async Task Start_HalfConfigured_FailsNamingTheMissingKey(string key, string value, string message)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(new Dictionary<string, string?>
        {
            [key] = value,
            ["Personalization:Tracking:Cardlytics:Section"] = "LatestOffers",
        }));

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"s\"", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Personalization:Tracking:Cardlytics:Section", null, "Personalization:Tracking:Cardlytics:Section")]
    [InlineData("Personalization:Tracking:Cardlytics:ClickEvent", "Activate", "ClickEvent must be one of ActivateOffer, ParkOffer, UnParkOffer")]
    [InlineData("Personalization:Tracking:Cardlytics:SessionLifetime", "00:15:00", "SessionLifetime")]
    public async Task Start_BadSetting_FailsNamingIt(string key, string? value, string message)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(_stub.Settings((key, value))));

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    private static CardlyticsEventsDestination Create(TestApp app) => ActivatorUtilities.CreateInstance<CardlyticsEventsDestination>(app.Services);

    private static IReadOnlyList<string> Ids(RecordedRequest request) =>
        [.. request.Json.GetProperty("clientEvents").EnumerateArray().Select(e => e.GetProperty("clientEventId").GetString()!)];

    private static TrackingEvent Impression() => new(
        TrackingEventKind.Impression,
        "offer",
        new ExperienceAttribution("Local", JsonDocument.Parse("""{"cid":"local:offer","serveToken":"serve-1"}""").RootElement, "only"),
        new VisitorIdentity(Customer, "visitor-1"),
        DateTimeOffset.UtcNow);

    private static async Task<string> PageAsync(TestApp app, string path)
    {
        using var response = await SendAsync(app, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<HttpResponseMessage> SendAsync(TestApp app, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Customer", Customer);
        return await app.Client.SendAsync(request);
    }
}
