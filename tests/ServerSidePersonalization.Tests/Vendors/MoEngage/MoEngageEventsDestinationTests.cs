using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Vendors.MoEngage;

/// <summary>
/// Impressions and clicks reported to a stub MoEngage on loopback through the real pipeline: render-aware impressions,
/// batching, retries, shutdown drain and the bounded queue.
/// </summary>
public sealed class MoEngageEventsDestinationTests : IAsyncLifetime
{
    private const string MoEngageEventsClicked = "MOE_PERSONALIZATION_MESSAGE_CLICKED";

    private StubVendorServer _stub = null!;

    public async Task InitializeAsync()
    {
        _stub = await StubVendorServer.StartAsync();
        _stub.Respond = MoEngageStub.Route(MoEngageStub.Answer());
    }

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task Impression_RenderedExperience_OneShownWithTheFetchedContextVerbatim()
    {
        var time = new ObservedClock(new DateTimeOffset(2026, 11, 18, 7, 30, 5, TimeSpan.Zero));
        await using var app = await StartAsync(time: time);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        await time.AdvanceWhenArmedAsync(FlushInterval);

        Assert.True(await Eventually.TrueAsync(() => MoEngageStub.Actions(_stub).Count > 0));
        var request = Assert.Single(MoEngageStub.EventRequests(_stub));
        Assert.Equal("POST", request.Method);
        Assert.Equal("Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{MoEngageStub.WorkspaceId}:{MoEngageStub.ApiKey}")), request.Header("Authorization"));
        Assert.Equal(MoEngageStub.WorkspaceId, request.Header("MOE-APPKEY"));
        Assert.Equal("application/json", request.Header("Content-Type"));
        var element = Assert.Single(request.Json.GetProperty("elements").EnumerateArray());
        Assert.Equal("visitor-1", element.GetProperty("customer_id").GetString());
        var action = Assert.Single(element.GetProperty("actions").EnumerateArray());
        Assert.Equal("MOE_PERSONALIZATION_MESSAGE_SHOWN", action.GetProperty("action").GetString());
        Assert.True(Guid.TryParse(action.GetProperty("moe_event_uuid").GetString(), out var uuid));
        Assert.Equal(4, uuid.Version);
        Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds(), action.GetProperty("event_time").GetInt64());
        Assert.Equal("web", action.GetProperty("platform").GetString());
        Assert.Equal(MoEngageStub.Context("hero").ToJsonString(), action.GetProperty("attributes").GetRawText());
    }

    /// <summary>Seconds east of UTC, whole quarter hours within ±54000: IST, Newfoundland, Nepal, the extremes, UTC.</summary>
    [Theory]
    [InlineData("19800", 19800)]
    [InlineData("-12600", -12600)]
    [InlineData("20700", 20700)]
    [InlineData("54000", 54000)]
    [InlineData("-54000", -54000)]
    [InlineData("0", 0)]
    public async Task Impression_TimezoneOffsetInSeconds_InTheElementAndNotInTheFetch(string cookie, int expected)
    {
        await using var app = await StartAsync(("Personalization:Context:Attributes:user_timezone_offset", "cookie:tz"));

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"), ("tz", cookie));
        await app.App.StopAsync();

        var element = Assert.Single(Assert.Single(MoEngageStub.EventRequests(_stub)).Json.GetProperty("elements").EnumerateArray());
        Assert.Equal(expected, element.GetProperty("user_timezone_offset").GetInt32());
        var fetch = Assert.Single(_stub.Requests, r => r.Path == "/v1/experiences/fetch");
        Assert.False(fetch.Json.TryGetProperty("user_timezone_offset", out _), fetch.Text);
    }

    /// <summary>
    /// JavaScript's own offset (minutes, opposite sign: -330 for IST), a number of seconds that is no time zone, values
    /// beyond the document's ±54000 and non-integers are left out rather than reported as a wrong time zone.
    /// </summary>
    [Theory]
    [InlineData("-330")]
    [InlineData("1234")]
    [InlineData("54900")]
    [InlineData("-54900")]
    [InlineData("19800.0")]
    [InlineData("IST")]
    public async Task Impression_TimezoneOffsetNotQuarterHoursInRange_LeftOut(string cookie)
    {
        await using var app = await StartAsync(("Personalization:Context:Attributes:user_timezone_offset", "cookie:tz"));

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"), ("tz", cookie));
        await app.App.StopAsync();

        var element = Assert.Single(Assert.Single(MoEngageStub.EventRequests(_stub)).Json.GetProperty("elements").EnumerateArray());
        Assert.Equal("visitor-1", element.GetProperty("customer_id").GetString());
        Assert.False(element.TryGetProperty("user_timezone_offset", out _), element.GetRawText());
    }

    [Fact]
    public async Task Impression_FetchedButNotRendered_NoneAndRenderedTwice_One()
    {
        await using var app = await StartAsync();

        await app.GetPageAsync("/Tags/Rendered", ("ssp_vid", "visitor-1"));

        Assert.True(await Eventually.TrueAsync(() => MoEngageStub.Actions(_stub).Count > 0));
        var (_, action) = Assert.Single(MoEngageStub.Actions(_stub));
        Assert.Equal(MoEngageStub.Context("shown").ToJsonString(), action.GetProperty("attributes").GetRawText());
    }

    [Fact]
    public async Task Impression_PageFailsOrVendorAbsent_NoEvent()
    {
        _stub.Respond = MoEngageStub.Route(MoEngageStub.Answer(has: _ => false));
        await using var app = await StartAsync(endpoints: app => app.MapGet("/boom", (HttpContext c) =>
        {
            c.GetPersonalization().TrackImpression(new ServerSidePersonalization.Experiences.Experience(
                "hero", new Dictionary<string, ServerSidePersonalization.Experiences.ExperienceValue>(),
                new ServerSidePersonalization.Experiences.ExperienceAttribution("MoEngage", JsonDocument.Parse("""{"cid":"x"}""").RootElement)));
            return Results.StatusCode(500);
        }));
        using var metrics = new MetricsCollector(app.Services);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        await app.GetAsync("/boom", ("ssp_vid", "visitor-1"));

        // Nothing was shown: the fallback rendered, and the page that tracked an impression answered 500.
        await app.App.StopAsync();
        Assert.Empty(MoEngageStub.EventRequests(_stub));
        Assert.Equal(0, metrics.Sum(PersonalizationTelemetry.TrackingEvents));
    }

    [Fact]
    public async Task TrackClick_FromCode_OneClickedWithBId()
    {
        await using var app = await StartAsync(endpoints: app => app.MapGet("/click-in-code", async (HttpContext c) =>
        {
            var personalization = c.GetPersonalization();
            var hero = await personalization.GetExperienceAsync("hero");
            personalization.TrackClick(hero!, "Add to Cart");
            return "ok";
        }));

        await app.GetAsync("/click-in-code", ("ssp_vid", "visitor-1"));

        Assert.True(await Eventually.TrueAsync(() => MoEngageStub.Actions(_stub).Count > 0));
        var (customer, action) = Assert.Single(MoEngageStub.Actions(_stub));
        Assert.Equal("visitor-1", customer);
        Assert.Equal("MOE_PERSONALIZATION_MESSAGE_CLICKED", action.GetProperty("action").GetString());
        var expected = MoEngageStub.Context("hero");
        expected["b_id"] = "Add to Cart";
        Assert.Equal(expected.ToJsonString(), action.GetProperty("attributes").GetRawText());
    }

    [Fact]
    public async Task Click_ThroughTheRenderedLink_RedirectsToTheCtaUrlAndReportsOneClickedWithBId()
    {
        await using var app = await StartAsync();
        var page = await app.GetPageAsync("/Tags/Click", ("ssp_vid", "visitor-1"));
        var href = Html.Href(page, "cta");
        Assert.StartsWith("/_personalization/click?t=", href, StringComparison.Ordinal);

        using var click = await app.GetAsync(href!, ("ssp_vid", "visitor-1"));

        Assert.Equal(System.Net.HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal("/landing/hero", click.Headers.Location?.OriginalString);
        Assert.True(await Eventually.TrueAsync(() => MoEngageStub.Actions(_stub).Any(a => a.Action.GetProperty("action").GetString() == MoEngageEventsClicked)));
        await app.App.StopAsync();
        var actions = MoEngageStub.Actions(_stub);
        var (customer, clicked) = Assert.Single(actions, a => a.Action.GetProperty("action").GetString() == MoEngageEventsClicked);
        Assert.Equal("visitor-1", customer);
        var expected = MoEngageStub.Context("hero");
        expected["b_id"] = "cta";
        Assert.Equal(expected.ToJsonString(), clicked.GetProperty("attributes").GetRawText());
        Assert.Single(actions, a => a.Action.GetProperty("action").GetString() == "MOE_PERSONALIZATION_MESSAGE_SHOWN"
            && a.Action.GetProperty("attributes").GetProperty("cid").GetString()!.EndsWith("_hero", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Batching_ThousandImpressionsFromThousandUsers_AtMostTenRequestsOfAtMost100Elements()
    {
        await using var app = await StartAsync(("Personalization:Tracking:FlushInterval", "00:00:30"));

        for (var i = 0; i < 1000; i++)
        {
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i:0000}"));
        }

        Assert.True(await Eventually.TrueAsync(() => MoEngageStub.Actions(_stub).Count == 1000));
        var requests = MoEngageStub.EventRequests(_stub);
        Assert.InRange(requests.Count, 1, 10);
        Assert.All(requests, r => Assert.InRange(r.Json.GetProperty("elements").GetArrayLength(), 1, 100));
        var actions = MoEngageStub.Actions(_stub);
        Assert.Equal(1000, actions.Select(a => a.CustomerId).Distinct().Count());
        Assert.Equal(1000, actions.Select(a => a.Action.GetProperty("moe_event_uuid").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Retry_500TwiceThen200_DeliveredOnceWithTheSameUuidOnEveryAttempt()
    {
        var attempts = 0;
        _stub.Respond = MoEngageStub.Route(MoEngageStub.Answer(), _ => Interlocked.Increment(ref attempts) <= 2
            ? StubResponse.Json("""{"title":"Internal Server Error"}""", 500)
            : StubResponse.Json("""{"status":"success"}"""));
        await using var app = await StartAsync();
        using var metrics = new MetricsCollector(app.Services);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.True(await Eventually.TrueAsync(() => metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "delivered")) == 1));
        var requests = MoEngageStub.EventRequests(_stub);
        Assert.Equal(3, requests.Count);
        Assert.Single(requests.Select(r => r.Text).Distinct());
        Assert.Single(MoEngageStub.Actions(_stub).Select(a => a.Action.GetProperty("moe_event_uuid").GetString()).Distinct());
    }

    [Fact]
    public async Task Retry_429WithRetryAfter_WaitsAsAsked()
    {
        _stub.Respond = MoEngageStub.Route(MoEngageStub.Answer(), _ => MoEngageStub.EventRequests(_stub).Count == 1
            ? new StubResponse(429, """{"title":"Too Many Requests"}""", Headers: new Dictionary<string, string> { ["Retry-After"] = "7" })
            : StubResponse.Json("""{"status":"success"}"""));
        var clock = new ObservedClock();
        await using var app = await StartAsync(time: clock);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        await clock.AdvanceWhenArmedAsync(FlushInterval);

        // The retry waits for a timer of exactly the 7 s asked (not the 10 ms base delay), and is sent once it fires.
        Assert.True(await Eventually.TrueAsync(() => clock.HasTimer(TimeSpan.FromSeconds(7))), "No retry was scheduled at the Retry-After.");
        Assert.Single(MoEngageStub.EventRequests(_stub));
        clock.Advance(TimeSpan.FromSeconds(7));
        Assert.True(await Eventually.TrueAsync(() => MoEngageStub.EventRequests(_stub).Count == 2));
    }

    [Fact]
    public async Task Retry_400_NotRetriedDroppedCountedAndLoggedOnce()
    {
        _stub.Respond = MoEngageStub.Route(MoEngageStub.Answer(), _ => StubResponse.Json(
            """{"title":"Bad Request","description":"a missing required attributes field"}""", 400));
        await using var app = await StartAsync();
        using var metrics = new MetricsCollector(app.Services);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.True(await Eventually.TrueAsync(() => metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("reason", "rejected")) == 1));
        await app.App.StopAsync();

        // One user's element: nothing to split, the refusal is the answer.
        Assert.Single(MoEngageStub.EventRequests(_stub));
        var log = Assert.Single(app.Logs.Named("TrackingBatchRejected"));
        Assert.Contains("HTTP 400 (Bad Request): a missing required attributes field", log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(MoEngageStub.ApiKey, app.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("visitor-1", app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Split_400ForOneUserInABatchOf100_OnlyThatUsersEventDroppedThe99Delivered()
    {
        const string BadUser = "visitor-042";
        const string Description = "a missing required attributes field";
        _stub.Respond = MoEngageStub.Route(MoEngageStub.Answer(), request => MoEngageStub.CustomerIds(request).Contains(BadUser)
            ? StubResponse.Json($$"""{"title":"Bad Request","description":"{{Description}}"}""", 400)
            : StubResponse.Json("""{"status":"success"}"""));

        // The batch is sent when it holds 100 events, not before: the 100 users go in one request.
        await using var app = await StartAsync(("Personalization:Tracking:FlushInterval", "00:05:00"), ("Personalization:Tracking:BatchSize", "100"));
        using var metrics = new MetricsCollector(app.Services);

        for (var i = 0; i < 100; i++)
        {
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i:000}"));
        }

        Assert.True(await Eventually.TrueAsync(() =>
            metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "delivered")) == 99
            && metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("reason", "rejected")) == 1));
        await app.App.StopAsync();

        var requests = MoEngageStub.EventRequests(_stub);
        var batch = requests[0];
        Assert.Equal(100, MoEngageStub.CustomerIds(batch).Count);

        // Then each user alone, with the event ids of the batch: MoEngage counts nothing twice.
        var resends = requests.Skip(1).ToList();
        Assert.Equal(100, resends.Count);
        Assert.All(resends, r => Assert.Single(MoEngageStub.CustomerIds(r)));
        Assert.Equal(MoEngageStub.EventUuids(batch).Order(StringComparer.Ordinal), resends.SelectMany(MoEngageStub.EventUuids).Order(StringComparer.Ordinal));
        var accepted = requests.Where(r => !MoEngageStub.CustomerIds(r).Contains(BadUser)).SelectMany(MoEngageStub.EventUuids).ToList();
        Assert.Equal(99, accepted.Count);
        Assert.Equal(99, accepted.Distinct(StringComparer.Ordinal).Count());

        Assert.Equal(99, metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "delivered")));
        Assert.Equal(1, metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "dropped")));
        Assert.Equal(1, metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("reason", "rejected")));
        var log = Assert.Single(app.Logs.Named("TrackingBatchRejected"));
        Assert.Contains("rejected 1 tracking event(s)", log.Message, StringComparison.Ordinal);
        Assert.Contains(Description, log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(BadUser, app.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(MoEngageStub.ApiKey, app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Split_TransientFailureDuringTheResend_AcceptedNotSentAgainTheRestRetried()
    {
        var failed = 0;
        _stub.Respond = MoEngageStub.Route(MoEngageStub.Answer(), request => MoEngageStub.CustomerIds(request) switch
        {
            { Count: 3 } => StubResponse.Json("""{"title":"Bad Request","description":"a missing required attributes field"}""", 400),
            ["visitor-2"] when Interlocked.Exchange(ref failed, 1) == 0 => StubResponse.Json("""{"title":"Service Unavailable"}""", 503),
            _ => StubResponse.Json("""{"status":"success"}"""),
        });
        await using var app = await StartAsync(("Personalization:Tracking:FlushInterval", "00:05:00"), ("Personalization:Tracking:BatchSize", "3"));
        using var metrics = new MetricsCollector(app.Services);

        for (var i = 1; i <= 3; i++)
        {
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}"));
        }

        Assert.True(await Eventually.TrueAsync(() => metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "delivered")) == 3));
        await app.App.StopAsync();

        // The batch (400), visitor-1 alone (accepted), visitor-2 alone (503), then what was left, together.
        Assert.Equal(
            ["visitor-1 visitor-2 visitor-3", "visitor-1", "visitor-2", "visitor-2 visitor-3"],
            MoEngageStub.EventRequests(_stub).Select(r => string.Join(' ', MoEngageStub.CustomerIds(r))));
        Assert.Equal(0, metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "dropped")));
        Assert.Empty(app.Logs.Named("TrackingBatchRejected"));
    }

    [Fact]
    public async Task Retry_AlwaysFailing_DroppedAfterMaxAttemptsAndCounted()
    {
        _stub.Respond = MoEngageStub.Route(MoEngageStub.Answer(), _ => StubResponse.Json("{}", 503));
        await using var app = await StartAsync(("Personalization:Tracking:MaxAttempts", "3"));
        using var metrics = new MetricsCollector(app.Services);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.True(await Eventually.TrueAsync(() => metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("reason", "retries_exhausted")) == 1));
        await app.App.StopAsync();
        Assert.Equal(3, MoEngageStub.EventRequests(_stub).Count);
        Assert.Single(app.Logs.Named("TrackingRetriesExhausted"));
    }

    [Fact]
    public async Task Shutdown_500EventsQueuedAndVendorSlow_AllDeliveredBeforeTheHostExits()
    {
        // The vendor holds every answer until the host has begun to stop.
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _stub.Respond = MoEngageStub.Route(MoEngageStub.Answer(), _ => new StubResponse(200, """{"status":"success"}""", AnswerWhen: stopping.Task));
        await using var app = await StartAsync(("Personalization:Tracking:FlushInterval", "00:05:00"));

        for (var i = 0; i < 500; i++)
        {
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i:000}"));
        }

        Assert.True(MoEngageStub.Actions(_stub).Count < 500, "The events must still be queued when the host stops.");
        var stopped = app.App.StopAsync();
        stopping.SetResult();
        await stopped;

        var delivered = MoEngageStub.Actions(_stub).Select(a => a.Action.GetProperty("moe_event_uuid").GetString()).Distinct().Count();
        Assert.Equal(500, delivered);
        Assert.Empty(app.Logs.Named("TrackingDroppedAtShutdown"));
    }

    [Fact]
    public async Task QueueFull_CapacityTenAndStalledVendor_EleventhDroppedCountedLoggedAndPagesUnaffected()
    {
        _stub.Respond = MoEngageStub.Route(MoEngageStub.Answer(), _ => new StubResponse(200, "{}", AnswerWhen: StubResponse.Never));
        await using var app = await StartAsync(
            services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)),
            ("Personalization:Tracking:QueueCapacity", "10"),
            ("Personalization:Tracking:BatchSize", "1"));
        using var metrics = new MetricsCollector(app.Services);

        var pages = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            pages.Add(await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}")));
        }

        Assert.All(pages, page => Assert.Contains("<h1>Title of hero</h1>", page, StringComparison.Ordinal));
        Assert.Equal(1, metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("reason", "queue_full")));
        Assert.Single(app.Logs.Named("TrackingEventDropped"));
        Assert.True(MoEngageStub.EventRequests(_stub).Count <= 1, "The stalled vendor holds the first batch.");

        // At shutdown the 10 events that never got through are counted, not lost silently.
        await app.App.StopAsync();
        Assert.Equal(10, metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("reason", "shutdown")));
        Assert.Single(app.Logs.Named("TrackingDroppedAtShutdown"));
    }

    [Fact]
    public async Task Tracking_DisabledForMoEngage_SendsNothing()
    {
        await using var app = await StartAsync(("Personalization:Tracking:MoEngage:Enabled", "false"));

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        await app.App.StopAsync();

        Assert.Empty(MoEngageStub.EventRequests(_stub));
    }

    /// <summary>The flush interval these tests run with.</summary>
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);

    private Task<TestApp> StartAsync(params (string Key, string? Value)[] settings) => StartAsync(null, null, null, settings);

    private Task<TestApp> StartAsync(Action<IServiceCollection>? services, params (string Key, string? Value)[] settings) =>
        StartAsync(services, null, null, settings);

    private Task<TestApp> StartAsync(Action<WebApplication>? endpoints = null, TimeProvider? time = null) => StartAsync(null, endpoints, time);

    private Task<TestApp> StartAsync(Action<IServiceCollection>? services, Action<WebApplication>? endpoints, TimeProvider? time, params (string Key, string? Value)[] settings) =>
        TestApp.StartAsync(
            MoEngageStub.Settings(_stub, [("Personalization:Tracking:MoEngage:Enabled", null), ("Personalization:Tracking:FlushInterval", "00:00:00.050"), ("Personalization:Tracking:RetryBaseDelay", "00:00:00.010"), .. settings]),
            services,
            endpoints: endpoints,
            time: time);
}
