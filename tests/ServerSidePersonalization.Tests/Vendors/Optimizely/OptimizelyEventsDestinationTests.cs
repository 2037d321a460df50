using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tracking;
using ServerSidePersonalization.Vendors.Optimizely;

namespace ServerSidePersonalization.Tests.Vendors.Optimizely;

/// <summary>ODP channel events against a stub on loopback: the exact request, the 500-event limit, ids and status mapping.</summary>
public sealed class OptimizelyEventsDestinationTests : IAsyncLifetime, IDisposable
{
    private const string Vuid = "vuid_3b5f0e1f2a4c4d8e9f00112233";
    private readonly ExperienceFiles _files = new();
    private StubVendorServer _stub = null!;

    public async Task InitializeAsync()
    {
        _stub = await StubVendorServer.StartAsync();
        _stub.Respond = _ => OptimizelyStub.Accepted();
    }

    public async Task DisposeAsync()
    {
        await _stub.DisposeAsync();
    }

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task PageViewAndClick_OneDeliveryAndOneClick_ExactShape()
    {
        await using var app = await TestApp.StartAsync(OptimizelyStub.Settings(_stub, ("Personalization:Local:File", OptimizelyStub.OfferFile(_files))));
        (string, string)[] cookies = [("ssp_vid", "visitor-1"), ("vuid", Vuid)];

        var page = await app.GetPageAsync("/Offers/Offer", cookies);
        using var click = await app.GetAsync(OptimizelyStub.Link(page, "activate"), cookies);

        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.True(await Eventually.TrueAsync(() => OptimizelyStub.Events(_stub).Count >= 2));
        var request = OptimizelyStub.Requests(_stub)[0];
        Assert.Equal("POST", request.Method);
        Assert.Equal(OptimizelyStub.ApiKey, request.Header("x-api-key"));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Null(request.Header("Authorization"));
        Assert.Equal(JsonValueKind.Array, request.Json.ValueKind);

        var events = OptimizelyStub.Events(_stub);
        Assert.Equal(2, events.Count);
        var delivery = Assert.Single(events, e => e.GetProperty("action").GetString() == "delivery");
        var engagement = Assert.Single(events, e => e.GetProperty("action").GetString() == "click");
        foreach (var e in events)
        {
            Assert.Equal(["type", "action", "identifiers", "data"], e.EnumerateObject().Select(p => p.Name));
            Assert.Equal("web_personalization", e.GetProperty("type").GetString());
            Assert.Equal([("vuid", Vuid)], e.GetProperty("identifiers").EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)));
            var data = e.GetProperty("data");
            Assert.Equal("offer", data.GetProperty("experience_key").GetString());
            Assert.Equal("only", data.GetProperty("variation_id").GetString());
            Assert.Equal("local:offer", data.GetProperty("campaign_id").GetString());
            Assert.True(Guid.TryParse(data.GetProperty("idempotence_id").GetString(), out _));
            Assert.InRange(data.GetProperty("ts").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }

        Assert.False(delivery.GetProperty("data").TryGetProperty("element_id", out _));
        Assert.Equal("activate", engagement.GetProperty("data").GetProperty("element_id").GetString());
        Assert.DoesNotContain(OptimizelyStub.ApiKey, app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Impressions_1200_ThreeRequestsOfAtMost500()
    {
        await using var app = await TestApp.StartAsync(OptimizelyStub.Settings(
            _stub, ("Personalization:Tracking:BatchSize", "1000"), ("Personalization:Tracking:FlushInterval", "00:00:01")));
        var pipeline = app.Services.GetRequiredService<TrackingPipeline>();
        var identity = new VisitorIdentity(null, "visitor-1", identifiers: new Dictionary<string, string> { ["ssp_vid"] = "visitor-1" });
        var attribution = new ExperienceAttribution("Local", JsonDocument.Parse("""{"cid":"c"}""").RootElement, "v");

        for (var i = 0; i < 1200; i++)
        {
            await pipeline.EnqueueAsync(new TrackingEvent(TrackingEventKind.Impression, "hero", attribution, identity, DateTimeOffset.UtcNow));
        }

        Assert.True(await Eventually.TrueAsync(() => OptimizelyStub.Events(_stub).Count >= 1200));
        var sizes = OptimizelyStub.Requests(_stub).Select(r => r.Json.GetArrayLength()).ToList();
        Assert.Equal([500, 500, 200], sizes);
        Assert.Equal(1200, OptimizelyStub.Events(_stub).Select(e => e.GetProperty("data").GetProperty("idempotence_id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task SignedInCustomer_EmailAndConfiguredCustomIdentifier_NoOtherIdentifiers()
    {
        await using var app = await TestApp.StartAsync(OptimizelyStub.Settings(
            _stub,
            ("Personalization:Local:File", OptimizelyStub.OfferFile(_files)),
            ("Personalization:Identity:CustomerIdHeader", "X-Customer"),
            ("Personalization:Tracking:Optimizely:CustomerIdentifier", "customer_id"),
            ("Personalization:Tracking:Optimizely:ChannelType", "web_offers"),
            ("Personalization:Tracking:Optimizely:Actions:Impression", "delivery_unknown")));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Offers/Offer");
        request.Headers.Add("X-Customer", "Ada@Example.com");
        request.Headers.Add("Cookie", "ssp_vid=visitor-2");

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await Eventually.TrueAsync(() => OptimizelyStub.Events(_stub).Count >= 1));
        var e = Assert.Single(OptimizelyStub.Events(_stub));
        Assert.Equal("web_offers", e.GetProperty("type").GetString());
        Assert.Equal("delivery_unknown", e.GetProperty("action").GetString());
        Assert.Equal(
            [("customer_id", "Ada@Example.com"), ("email", "Ada@Example.com"), ("vuid", "visitor-2")],
            e.GetProperty("identifiers").EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)).Order());
    }

    [Theory]
    [InlineData(202, "Delivered", null)]
    [InlineData(400, "Rejected", "HTTP 400")]
    [InlineData(401, "Unauthorized", "HTTP 401: check Personalization:Tracking:Optimizely:ApiKey (a private API key)")]
    [InlineData(403, "Unauthorized", "HTTP 403: check Personalization:Tracking:Optimizely:ApiKey (a private API key)")]
    [InlineData(429, "Retry", "HTTP 429")]
    [InlineData(500, "Retry", "HTTP 500")]
    public async Task SendAsync_Status_MapsToOutcome(int status, string outcome, string? reason)
    {
        _stub.Respond = _ => new StubResponse(status, Headers: status == 429 ? new Dictionary<string, string> { ["Retry-After"] = "7" } : null);
        await using var app = await TestApp.StartAsync(OptimizelyStub.Settings(_stub));
        var destination = ActivatorUtilities.CreateInstance<OptimizelyEventsDestination>(app.Services);

        var result = await destination.SendAsync([Impression()], CancellationToken.None);

        Assert.Equal(outcome, result.Outcome.ToString());
        Assert.Equal(reason, result.Reason);
        Assert.Equal(status == 429 ? TimeSpan.FromSeconds(7) : null, result.RetryAfter);
    }

    [Fact]
    public async Task Accepts_VisitorWithoutAnyIdentifier_SkippedAndCounted()
    {
        await using var app = await TestApp.StartAsync(OptimizelyStub.Settings(_stub));
        using var metrics = new MetricsCollector(app.Services);
        var destination = ActivatorUtilities.CreateInstance<OptimizelyEventsDestination>(app.Services);
        var attribution = new ExperienceAttribution("Local", default);

        Assert.False(destination.Accepts(new TrackingEvent(TrackingEventKind.Impression, "hero", attribution, VisitorIdentity.Anonymous, DateTimeOffset.UtcNow)));
        Assert.True(destination.Accepts(Impression()));
        Assert.Equal(1, metrics.Sum("personalization.tracking.events", ("destination", "Optimizely"), ("reason", "no_identifier")));
    }

    [Theory]
    [InlineData("Personalization:Tracking:Optimizely:Enabled", "true", "Personalization:Tracking:Optimizely:ApiKey is required")]
    [InlineData("Personalization:Tracking:Optimizely:BaseUrl", "https://api.eu1.odp.optimizely.com", "Personalization:Tracking:Optimizely:ApiKey is required")]
    public async Task Start_HalfConfigured_FailsNamingTheMissingKey(string key, string value, string message)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Personalization:Tracking:Optimizely:Actions:Impression", "sent", "Actions:Impression must be one of delivery, delivery_unknown, open, click, engage")]
    [InlineData("Personalization:Tracking:Optimizely:Actions:Click", "purchase", "Actions:Click must be one of")]
    [InlineData("Personalization:Tracking:Optimizely:CustomerIdentifier", "email", "CustomerIdentifier must name a custom ODP identifier")]
    [InlineData("Personalization:Tracking:Optimizely:ChannelType", "Web Personalization", "ChannelType must be")]
    [InlineData("Personalization:Tracking:Optimizely:BaseUrl", "ftp://odp", "BaseUrl must be an absolute http or https URL")]
    public async Task Start_BadSetting_FailsNamingIt(string key, string value, string message)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(OptimizelyStub.Settings(_stub, (key, value))));

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    private static TrackingEvent Impression() => new(
        TrackingEventKind.Impression,
        "hero",
        new ExperienceAttribution("Local", JsonDocument.Parse("""{"cid":"c"}""").RootElement, "v"),
        new VisitorIdentity(null, "visitor-1", identifiers: new Dictionary<string, string> { ["ssp_vid"] = "visitor-1" }),
        DateTimeOffset.UtcNow);
}
