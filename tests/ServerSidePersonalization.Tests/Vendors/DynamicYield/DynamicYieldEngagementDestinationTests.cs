using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.Vendors.DynamicYield;

/// <summary>
/// Clicks reported to Dynamic Yield's engagement API end to end: a real app records clicks through the feature, the
/// real tracking pipeline and dispatcher deliver them with the real HTTP client to a stub Dynamic Yield on loopback
/// Kestrel, and the tests read what arrived there.
/// </summary>
public sealed class DynamicYieldEngagementDestinationTests : IAsyncLifetime, IDisposable
{
    private const string ApiKey = "dy-k3y-that-must-never-be-logged";
    private const string EngagementPath = "/v2/collect/user/engagement";
    private const string DyidCookie = "1679843014604301";
    private const string DyidServerCookie = "1679843014604302";
    private const string SessionCookie = "a2719b4d6c470383f1bf3";

    private static readonly (string Name, string Value)[] WebModeCookies =
        [("_dyid", DyidCookie), ("_dyid_server", DyidServerCookie), ("_dyjsession", SessionCookie)];

    private static readonly Experience DecisionExperience = DynamicYieldExperience("hero", "aGVsbG8KhAc");
    private static readonly Experience RecommendationExperience = DynamicYieldExperience("recs", decisionId: null);
    private static readonly Experience MoEngageExperience = new(
        "banner",
        new Dictionary<string, ExperienceValue>(),
        new ExperienceAttribution("MoEngage", JsonSerializer.SerializeToElement(new { cid = "c-1" }), "2"));

    private readonly RecordingDestination _probe = new();
    private StubVendorServer _stub = null!;
    private MetricsCollector? _metrics;

    public async Task InitializeAsync()
    {
        _stub = await StubVendorServer.StartAsync();
        _stub.Respond = _ => new StubResponse(204);
    }

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    public void Dispose() => _metrics?.Dispose();

    [Fact]
    public async Task SlotClick_WebMode_SendsTheDocumentedRequest()
    {
        await using var app = await StartAppAsync();

        await app.GetAsync("/click-slot", WebModeCookies);

        var sent = await SingleDeliveredAsync();
        Assert.Equal("POST", sent.Method);
        Assert.Equal(EngagementPath, sent.Path);
        Assert.Equal(ApiKey, sent.Header("DY-API-Key"));
        Assert.Equal("application/json", sent.Header("Content-Type"));
        Assert.Equal(
            $$"""{"user":{"dyid":"{{DyidCookie}}","dyid_server":"{{DyidServerCookie}}"},"session":{"dy":"{{SessionCookie}}"},"engagements":[{"type":"SLOT_CLICK","slotId":"slot-1"}]}""",
            sent.Text);
    }

    [Fact]
    public async Task Click_WebModeWithDecisionId_SendsClickWithTheDecisionId()
    {
        await using var app = await StartAppAsync();

        await app.GetAsync("/click", WebModeCookies);

        var sent = await SingleDeliveredAsync();
        Assert.Equal(EngagementPath, sent.Path);
        Assert.Equal(ApiKey, sent.Header("DY-API-Key"));
        Assert.Equal(
            $$"""{"user":{"dyid":"{{DyidCookie}}","dyid_server":"{{DyidServerCookie}}"},"session":{"dy":"{{SessionCookie}}"},"engagements":[{"type":"CLICK","decisionId":"aGVsbG8KhAc"}]}""",
            sent.Text);
    }

    [Theory]
    [InlineData("_dyid_server")]
    [InlineData("_dyid")]
    public async Task Click_OnlyOneDynamicYieldUserCookie_SendsItAsBothIds(string cookie)
    {
        await using var app = await StartAppAsync();

        await app.GetAsync("/click", (cookie, "16798430146043"));

        var sent = await SingleDeliveredAsync();
        Assert.Equal(
            """{"user":{"dyid":"16798430146043","dyid_server":"16798430146043"},"engagements":[{"type":"CLICK","decisionId":"aGVsbG8KhAc"}]}""",
            sent.Text);
    }

    [Fact]
    public async Task Click_SignedInCustomerWithoutDynamicYieldCookies_SendsApiOnlyMode()
    {
        await using var app = await StartAppAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/click");
        request.Headers.Add("Cookie", "ssp_vid=visitor-7");
        request.Headers.Add(TestUser.HeaderPrefix + "nameid", "customer-42");
        using var response = await app.Client.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var sent = await SingleDeliveredAsync();
        Assert.Equal(EngagementPath, sent.Path);
        Assert.Equal(ApiKey, sent.Header("DY-API-Key"));
        Assert.Equal("application/json", sent.Header("Content-Type"));
        Assert.Equal(
            """{"user":{"id":"customer-42"},"session":{"custom":"visitor-7"},"engagements":[{"type":"CLICK","decisionId":"aGVsbG8KhAc"}]}""",
            sent.Text);
    }

    [Fact]
    public async Task Click_NoIdAtAll_IsRejectedWithoutACall()
    {
        await using var app = await StartAppAsync(("Personalization:Identity:IssueVisitorCookie", "false"));

        await app.GetAsync("/click");

        Assert.True(await Eventually.TrueAsync(() => Dropped(TrackingDropReason.Rejected) == 1));
        Assert.Empty(_stub.Requests);
        Assert.Contains(app.Logs.Named("TrackingBatchRejected"), e => e.Message.Contains("no Dynamic Yield cookie", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Impression_IsNeverSentToDynamicYield()
    {
        await using var app = await StartAppAsync();

        await app.GetAsync("/impression", WebModeCookies);

        // The probe sees every event, right after the pipeline offered it to Dynamic Yield's queue.
        Assert.True(await Eventually.TrueAsync(() => _probe.Events.Any(e => e.Kind == TrackingEventKind.Impression && e.ExperienceKey == "hero")));

        // The queue is in order: had the impression been taken, it would have been sent before this click.
        await app.GetAsync("/click-slot", WebModeCookies);
        var sent = await SingleDeliveredAsync();
        Assert.Contains("SLOT_CLICK", sent.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Click_MoEngageAttributionWithoutSlot_IsNotSentToDynamicYield()
    {
        await using var app = await StartAppAsync();

        await app.GetAsync("/click-moengage", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => _probe.Events.Any(e => e.Kind == TrackingEventKind.Click && e.ExperienceKey == "banner")));
        await app.GetAsync("/click-slot", WebModeCookies);
        var sent = await SingleDeliveredAsync();
        Assert.Contains("SLOT_CLICK", sent.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public async Task Click_DestinationNotEnabled_NotSent(string? enabled)
    {
        await using var app = await StartAppAsync(("Personalization:Tracking:DynamicYield:Enabled", enabled));

        await app.GetAsync("/click-slot", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => !_probe.Events.IsEmpty));
        Assert.DoesNotContain(app.Services.GetRequiredService<TrackingPipeline>().Queues, q => q.Destination.Name == "DynamicYield");
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Click_ServerErrorTwiceThen204_DeliveredOnceWithTheSameBody()
    {
        var answers = 0;
        _stub.Respond = _ => Interlocked.Increment(ref answers) <= 2 ? StubResponse.Json("""{"error":"oops"}""", 500) : new StubResponse(204);
        await using var app = await StartAppAsync();

        await app.GetAsync("/click-slot", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => Delivered() == 1));
        var requests = _stub.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.All(requests, r => Assert.Equal(requests[0].Text, r.Text));
        Assert.All(requests, r => Assert.Equal(ApiKey, r.Header("DY-API-Key")));
        Assert.Equal(0, _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", "DynamicYield"), ("outcome", "dropped")));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Click_TransientStatus_Retried(int status)
    {
        var answers = 0;
        _stub.Respond = _ => Interlocked.Increment(ref answers) == 1 ? new StubResponse(status) : new StubResponse(204);
        await using var app = await StartAppAsync();

        await app.GetAsync("/click", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => Delivered() == 1));
        Assert.Equal(2, _stub.Requests.Count);
    }

    [Theory]
    [InlineData("delta")]
    [InlineData("date")]
    public async Task Click_RetryAfter_NextAttemptWaitsAsAsked(string form)
    {
        var arrivals = new ConcurrentQueue<long>();
        _stub.Respond = _ =>
        {
            arrivals.Enqueue(Stopwatch.GetTimestamp());
            if (arrivals.Count > 1)
            {
                return new StubResponse(204);
            }

            // An HTTP date has whole seconds: two seconds ahead, truncated, is still more than one second away.
            var retryAfter = form == "delta" ? "1" : DateTimeOffset.UtcNow.AddSeconds(2).ToString("r", CultureInfo.InvariantCulture);
            return new StubResponse(429, Headers: new Dictionary<string, string> { ["Retry-After"] = retryAfter });
        };
        await using var app = await StartAppAsync();

        await app.GetAsync("/click", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => Delivered() == 1));
        var times = arrivals.ToArray();
        Assert.Equal(2, times.Length);
        var waited = Stopwatch.GetElapsedTime(times[0], times[1]);
        Assert.True(waited >= TimeSpan.FromMilliseconds(950), $"The retry came {waited.TotalMilliseconds:F0} ms after the 429 that asked for Retry-After.");
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(405)]
    [InlineData(422)]
    [InlineData(451)]
    [InlineData(302)]
    public async Task Click_PermanentStatus_DroppedAfterOneRequest(int status)
    {
        // The Location would lead a client that follows redirects back to the stub for a second (GET) request.
        _stub.Respond = _ => new StubResponse(
            status, """{"error":"nope"}""", Headers: new Dictionary<string, string> { ["Location"] = new Uri(_stub.Url, "/moved").ToString() });
        await using var app = await StartAppAsync();

        await app.GetAsync("/click-slot", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => Dropped(TrackingDropReason.Rejected) == 1));
        var sent = Assert.Single(_stub.Requests);
        Assert.Equal(EngagementPath, sent.Path);
        Assert.Equal(0, Delivered());
        var rejected = Assert.Single(app.Logs.Named("TrackingBatchRejected"));
        Assert.Contains($"HTTP {status}", rejected.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Click_SuccessWithMalformedBody_Delivered()
    {
        _stub.Respond = _ => StubResponse.Json("""{"truncated": [""");
        await using var app = await StartAppAsync();

        await app.GetAsync("/click", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => Delivered() == 1));
        Assert.Single(_stub.Requests);
        Assert.Equal(0, _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", "DynamicYield"), ("outcome", "dropped")));
    }

    [Fact]
    public async Task Start_EnabledWithoutApiKey_FailsNamingTheKey()
    {
        var settings = Settings(_stub);
        settings.Remove("Personalization:DynamicYield:ApiKey");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(settings));

        Assert.Equal(
            "Personalization:DynamicYield:ApiKey is required when Personalization:Tracking:DynamicYield:Enabled is true.",
            Assert.Single(error.Failures));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://dy-api.example")]
    [InlineData("/v2")]
    public async Task Start_BadBaseUrl_FailsNamingTheKey(string baseUrl)
    {
        var settings = Settings(_stub);
        settings["Personalization:DynamicYield:BaseUrl"] = baseUrl;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(settings));

        Assert.Equal("Personalization:DynamicYield:BaseUrl must be an absolute http or https URL.", Assert.Single(error.Failures));
    }

    [Fact]
    public async Task SlotClick_ThroughARenderedSlotLink_RedirectsAndSendsOneSlotClickWithTheVisitorsIds()
    {
        using var files = new ExperienceFiles();
        var settings = Settings(_stub, ("Personalization:Clicks:AllowedHosts:0", "shop.example"));
        settings["Personalization:Local:File"] = files.WriteSingle(("hero", new { Title = "Recommended", CtaUrl = "/landing" }));
        await using var app = Record(await TestApp.StartAsync(settings));
        var page = await app.GetPageAsync("/Tags/Click", WebModeCookies);

        using var click = await app.GetAsync(Html.Href(page, "external")!, WebModeCookies);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal("https://shop.example/x", click.Headers.Location?.OriginalString);
        var sent = await SingleDeliveredAsync();
        Assert.Equal(EngagementPath, sent.Path);
        Assert.Equal(
            $$"""{"user":{"dyid":"{{DyidCookie}}","dyid_server":"{{DyidServerCookie}}"},"session":{"dy":"{{SessionCookie}}"},"engagements":[{"type":"SLOT_CLICK","slotId":"slot-1"}]}""",
            sent.Text);
    }

    [Fact]
    public async Task Start_BaseUrlWithPath_PostsBelowIt()
    {
        var settings = Settings(_stub);
        settings["Personalization:DynamicYield:BaseUrl"] = new Uri(_stub.Url, "/proxy/dy").ToString();
        await using var app = Record(await TestApp.StartAsync(settings, endpoints: MapEndpoints));

        await app.GetAsync("/click", WebModeCookies);

        var sent = await SingleDeliveredAsync();
        Assert.Equal("/proxy/dy" + EngagementPath, sent.Path);
    }

    private static Experience DynamicYieldExperience(string key, string? decisionId) => new(
        key,
        new Dictionary<string, ExperienceValue>(),
        new ExperienceAttribution("DynamicYield", JsonSerializer.SerializeToElement(new { campaign = key }), "var-1", decisionId));

    private static Dictionary<string, string?> Settings(StubVendorServer stub, params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Personalization:DynamicYield:BaseUrl"] = stub.Url.ToString(),
            ["Personalization:DynamicYield:ApiKey"] = ApiKey,
            ["Personalization:Tracking:DynamicYield:Enabled"] = "true",
            ["Personalization:Tracking:FlushInterval"] = "00:00:00.050",
            ["Personalization:Tracking:RetryBaseDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Starts the app with the stub as Dynamic Yield, the probe, the test endpoints, and its metrics recorded.</summary>
    private async Task<TestApp> StartAppAsync(params (string Key, string? Value)[] extra) =>
        Record(await TestApp.StartAsync(
            Settings(_stub, extra),
            services: s => s.AddSingleton<ITrackingDestination>(_probe),
            beforePersonalization: app => app.UseTestUser(),
            endpoints: MapEndpoints));

    private TestApp Record(TestApp app)
    {
        _metrics = new MetricsCollector(app.Services);
        return app;
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapGet("/click-slot", (HttpContext context) =>
        {
            context.GetPersonalization().TrackClick(RecommendationExperience, "cta", slotId: "slot-1");
            return Results.Ok();
        });
        app.MapGet("/click", (HttpContext context) =>
        {
            context.GetPersonalization().TrackClick(DecisionExperience, "cta");
            return Results.Ok();
        });
        app.MapGet("/click-moengage", (HttpContext context) =>
        {
            context.GetPersonalization().TrackClick(MoEngageExperience, "cta");
            return Results.Ok();
        });
        app.MapGet("/impression", (HttpContext context) =>
        {
            context.GetPersonalization().TrackImpression(DecisionExperience);
            return Results.Ok();
        });
    }

    /// <summary>Waits until Dynamic Yield's destination counted one delivery, then returns the only request the stub got.</summary>
    private async Task<RecordedRequest> SingleDeliveredAsync()
    {
        Assert.True(await Eventually.TrueAsync(() => Delivered() == 1), $"Delivered {Delivered()}; the stub got {_stub.Requests.Count} request(s).");
        return Assert.Single(_stub.Requests);
    }

    private long Delivered() =>
        _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", "DynamicYield"), ("outcome", "delivered"));

    private long Dropped(string reason) =>
        _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", "DynamicYield"), ("outcome", "dropped"), ("reason", reason));


    /// <summary>An always-on application destination that sees every event, so a test knows when one went through the pipeline.</summary>
    private sealed class RecordingDestination : ITrackingDestination
    {
        public ConcurrentQueue<TrackingEvent> Events { get; } = new();

        public string Name => "Probe";

        public int MaxBatchSize => 100;

        public bool Accepts(TrackingEvent trackingEvent) => true;

        public Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken)
        {
            foreach (var trackingEvent in batch)
            {
                Events.Enqueue(trackingEvent);
            }

            return Task.FromResult(DeliveryResult.Delivered);
        }
    }
}
