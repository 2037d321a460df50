using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.Redis;

/// <summary>
/// Durable tracking on a real <c>redis-server</c>, with apps on the test server (the Local provider, page
/// <c>/Tags/Hero</c> shows one experience, so one impression per page view) and a recording destination.
/// </summary>
public sealed class RedisTrackingOutboxTests : IAsyncLifetime, IDisposable
{
    private const string Events = "ssp:outbox:{TestRecorder}:events";
    private const string DeadLetters = "ssp:outbox:{TestRecorder}:dead";
    private readonly ExperienceFiles _files = new();
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Page_Durable_EventIsInTheStreamWhenTheResponseEndsThenDeliveredWithItsFieldsAndRemoved()
    {
        var destination = new RecordingDestination { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var app = await StartAsync(destination);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        // The vendor has not answered yet: the event is in Redis, not only in this process.
        Assert.Equal(1, await LengthAsync(Events));
        destination.Gate.SetResult();
        Assert.True(await Eventually.TrueAsync(() => !destination.Delivered.IsEmpty));
        Assert.True(await Eventually.TrueAsync(async () => await LengthAsync(Events) == 0 && await PendingAsync() == 0));

        var accepted = Assert.Single(destination.AllAccepted());
        var delivered = Assert.Single(destination.Delivered);
        Assert.NotSame(accepted, delivered);
        Assert.Equal(accepted.Id, delivered.Id);
        Assert.Equal(accepted.Kind, delivered.Kind);
        Assert.Equal(accepted.ExperienceKey, delivered.ExperienceKey);
        Assert.Equal(accepted.OccurredAt, delivered.OccurredAt);
        Assert.Equal(accepted.Attribution!.Vendor, delivered.Attribution!.Vendor);
        Assert.Equal(accepted.Attribution.VariationId, delivered.Attribution.VariationId);
        Assert.Equal(accepted.Attribution.Context.GetRawText(), delivered.Attribution.Context.GetRawText());
        Assert.Equal("visitor-1", delivered.Identity.VisitorId);
        Assert.Equal(accepted.Identity.Identifiers, delivered.Identity.Identifiers);
        Assert.Equal(TestApp.BrowserUserAgent, delivered.Attributes.UserAgent);
        Assert.Equal(accepted.Attributes.Timestamp, delivered.Attributes.Timestamp);
    }

    [Fact]
    public async Task Click_Durable_InTheStreamBeforeTheRedirectAndDeliveredWithItsId()
    {
        var destination = new RecordingDestination { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var app = await StartAsync(destination);
        var page = await app.GetPageAsync("/Tags/Click", ("ssp_vid", "visitor-1"));
        Assert.Equal(1, await LengthAsync(Events));

        using var response = await app.GetAsync(Html.Href(page, "cta")!, ("ssp_vid", "visitor-1"));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(2, await LengthAsync(Events));
        destination.Gate.SetResult();
        Assert.True(await Eventually.TrueAsync(() => destination.Delivered.Count == 2));
        var click = Assert.Single(destination.AllAcceptedClicks());
        var delivered = Assert.Single(destination.Delivered, e => e.Kind == TrackingEventKind.Click);
        Assert.Equal(click.Id, delivered.Id);
        Assert.Equal("cta", delivered.ElementId);
    }

    [Fact]
    public async Task Page_OutboxHoldsQueueCapacity_TheNewEventIsDroppedCountedAndLoggedNotTrimmed()
    {
        var destination = new RecordingDestination { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var app = await StartAsync(destination, ("Personalization:Tracking:QueueCapacity", "2"));
        using var metrics = new MetricsCollector(app.Services);

        for (var i = 0; i < 3; i++)
        {
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}"));
        }

        Assert.Equal(2, await LengthAsync(Events));
        Assert.Equal(1, Dropped(metrics, TrackingDropReason.QueueFull));
        Assert.Single(app.Logs.Named("TrackingEventDropped"));
        destination.Gate.SetResult();
        Assert.True(await Eventually.TrueAsync(() => destination.Delivered.Count == 2));
        Assert.Equal(destination.AllAccepted().Take(2).Select(e => e.Id).Order(), destination.Delivered.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task Deliver_Rejected_AcknowledgedDroppedAndCounted()
    {
        var destination = new RecordingDestination { Answer = _ => DeliveryResult.Rejected("HTTP 400") };
        await using var app = await StartAsync(destination);
        using var metrics = new MetricsCollector(app.Services);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.True(await Eventually.TrueAsync(() => Dropped(metrics, TrackingDropReason.Rejected) == 1));
        Assert.True(await Eventually.TrueAsync(async () => await LengthAsync(Events) == 0 && await PendingAsync() == 0));
        Assert.Single(destination.Sent);
        Assert.Equal(0, await LengthAsync(DeadLetters));
    }

    [Fact]
    public async Task Deliver_NeverAccepted_ClaimedAgainThenDeadLetteredAfterMaxDeliveriesWithOneLog()
    {
        var destination = new RecordingDestination { Answer = _ => DeliveryResult.Retry("HTTP 503") };
        await using var app = await StartAsync(
            destination,
            ("Personalization:Tracking:MaxAttempts", "1"),
            ("Personalization:Tracking:ClaimAfter", "00:00:00.050"),
            ("Personalization:Tracking:MaxDeliveries", "3"));
        using var metrics = new MetricsCollector(app.Services);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.True(await Eventually.TrueAsync(async () => await LengthAsync(DeadLetters) == 1));
        Assert.True(await Eventually.TrueAsync(async () => await LengthAsync(Events) == 0 && await PendingAsync() == 0));
        Assert.Equal(3, destination.Sent.Count);
        Assert.Single(destination.Sent.Select(e => e.Id).Distinct());
        Assert.Equal(1, Dropped(metrics, TrackingDropReason.DeadLettered));
        var log = Assert.Single(app.Logs.Named("TrackingOutboxDeadLettered"));
        Assert.Contains("MaxDeliveries is 3", log.Message, StringComparison.Ordinal);
        var dead = await _redis.CliAsync("XRANGE", DeadLetters, "-", "+");
        Assert.Contains(destination.AllAccepted()[0].Id.ToString(), dead, StringComparison.Ordinal);
        Assert.Contains("deliveries", dead, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_RedisUnreachable_AnswersAndTheEventFallsBackToMemoryAndIsDelivered()
    {
        var destination = new RecordingDestination();
        await using var app = await StartAsync(
            destination,
            ("Personalization:Cache:Redis", $"127.0.0.1:{RedisServer.FreePort()},connectTimeout=200"),
            ("Personalization:Tracking:AppendTimeout", "00:00:00.200"));
        using var metrics = new MetricsCollector(app.Services);

        using var response = await app.GetAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await Eventually.TrueAsync(() => !destination.Delivered.IsEmpty));
        Assert.Equal(destination.AllAccepted()[0].Id, Assert.Single(destination.Delivered).Id);
        Assert.Equal(1, metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "memory_fallback")));
        Assert.Single(app.Logs.Named("TrackingOutboxAppendFailed"));
    }

    [Fact]
    public async Task Deliver_TwoInstancesOnOneStream_EachOfAThousandEventsDeliveredOnceAndBothDeliver()
    {
        var first = new RecordingDestination();
        var second = new RecordingDestination();
        await using var one = await StartAsync(first);
        await using var two = await StartAsync(second);

        // Four page views at a time, alternating between the instances: 1,000 impressions by 1,000 visitors.
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            await (i % 2 == 0 ? one : two).GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}")));

        Assert.True(await Eventually.TrueAsync(() => first.Delivered.Count + second.Delivered.Count >= 1000, TimeSpan.FromSeconds(60)));
        Assert.True(await Eventually.TrueAsync(async () => await LengthAsync(Events) == 0 && await PendingAsync() == 0));
        var delivered = first.Delivered.Concat(second.Delivered).Select(e => e.Id).ToList();
        Assert.Equal(1000, delivered.Count);
        Assert.Equal(1000, delivered.Distinct().Count());
        Assert.Equal(first.AllAccepted().Concat(second.AllAccepted()).Select(e => e.Id).Order(), delivered.Order());
        Assert.NotEmpty(first.Delivered);
        Assert.NotEmpty(second.Delivered);
    }

    [Fact]
    public async Task Deliver_OnAThreeNodeCluster_EventsAppendedDeliveredOnceAndRemoved()
    {
        await using var cluster = await RedisCluster.StartAsync();
        var destination = new RecordingDestination { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var app = await StartAsync(destination, ("Personalization:Cache:Redis", cluster.ConnectionString));

        for (var i = 0; i < 20; i++)
        {
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}"));
        }

        Assert.Equal(20, await LengthAsync(cluster.CliAsync, Events));
        destination.Gate.SetResult();
        Assert.True(await Eventually.TrueAsync(() => destination.Delivered.Count >= 20));
        Assert.True(await Eventually.TrueAsync(async () => await LengthAsync(cluster.CliAsync, Events) == 0));
        Assert.Equal(destination.AllAccepted().Select(e => e.Id).Order(), destination.Delivered.Select(e => e.Id).Order());

        // The dead-letter move is one transaction over both keys: they must share a slot.
        Assert.Equal(await cluster.KeySlotAsync(Events), await cluster.KeySlotAsync(DeadLetters));
    }

    private static long Dropped(MetricsCollector metrics, string reason) =>
        metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "dropped"), ("reason", reason));

    private Task<long> LengthAsync(string key) => LengthAsync(_redis.CliAsync, key);

    private static async Task<long> LengthAsync(Func<string[], Task<string>> cli, string key) =>
        long.Parse((await cli(["XLEN", key])).Trim(), CultureInfo.InvariantCulture);

    /// <summary>How many entries the consumer group has read and not acknowledged (the first line of XPENDING's summary).</summary>
    private async Task<long> PendingAsync() =>
        long.Parse((await _redis.CliAsync("XPENDING", Events, "ssp-dispatchers")).Split('\n')[0].Trim(), CultureInfo.InvariantCulture);

    private Task<TestApp> StartAsync(RecordingDestination destination, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Personalization:Local:File"] = _files.WriteSingle(("hero", new { Title = "Hi", CtaUrl = "/landing" })),
            ["Personalization:Tracking:Local:Enabled"] = "false",
            ["Personalization:Cache:Redis"] = _redis.ConnectionString,
            ["Personalization:Tracking:Durable"] = "true",
            ["Personalization:Tracking:FlushInterval"] = "00:00:00.050",

            // The multiplexer connects in the background; the first page waits for it rather than falling back.
            ["Personalization:Tracking:AppendTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return TestApp.StartAsync(settings, services => services.AddServerSidePersonalization().AddRedis().Services.AddSingleton<ITrackingDestination>(destination));
    }
}
