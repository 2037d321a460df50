using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.Redis;

/// <summary>
/// The durable outbox's backlog in the health check and the queue gauge, on a real <c>redis-server</c>: a destination
/// that never answers leaves its events in the stream (one per page view of <c>/Tags/Hero</c>).
/// </summary>
public sealed class RedisOutboxBacklogTests : IAsyncLifetime, IDisposable
{
    private const string Events = "ssp:outbox:{TestRecorder}:events";
    private readonly ExperienceFiles _files = new();
    private readonly ObservedClock _clock = new();
    private readonly RecordingDestination _stalled = new() { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        _stalled.Gate!.TrySetResult();
        await _redis.DisposeAsync();
    }

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Check_OutboxBacklogAboveTheWarning_DegradedNamingTheDestinationAndTheGaugeReportsIt()
    {
        await using var app = await StartAsync();
        using var metrics = new MetricsCollector(app.Services);

        await ViewPagesAsync(app, 2);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(app)).Status);
        _clock.Advance(OutboxBacklog.RefreshInterval);
        await ViewPagesAsync(app, 1, first: 2);
        var entry = await CheckAsync(app);
        metrics.Observe();

        Assert.Equal("3", (await _redis.CliAsync("XLEN", Events)).Trim());
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("destination TestRecorder: backlog 3 events, above 2.", entry.Description);
        Assert.Equal(3, entry.Data["destination:TestRecorder:backlog"]);
        Assert.Equal(3, metrics.Gauge(PersonalizationTelemetry.TrackingQueueLength, ("destination", "TestRecorder"), ("store", "outbox")));
        Assert.Equal(0, metrics.Gauge(PersonalizationTelemetry.TrackingQueueLength, ("destination", "TestRecorder"), ("store", "memory")));
        _stalled.Gate!.TrySetResult();
    }

    [Fact]
    public async Task Check_WithinTheRefreshInterval_AnswersFromTheLastReadingWithoutAskingRedis()
    {
        await using var app = await StartAsync();
        await ViewPagesAsync(app, 1);
        Assert.Equal(1, (await CheckAsync(app)).Data["destination:TestRecorder:backlog"]);

        await ViewPagesAsync(app, 1, first: 1);
        await _redis.CliAsync("CONFIG", "RESETSTAT");
        _clock.Advance(OutboxBacklog.RefreshInterval - TimeSpan.FromMilliseconds(1));
        var cached = await CheckAsync(app);
        var callsWhileCached = await _redis.CommandCallsAsync("xlen");
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var refreshed = await CheckAsync(app);

        Assert.Equal(1, cached.Data["destination:TestRecorder:backlog"]);
        Assert.Equal(0, callsWhileCached);
        Assert.Equal(2, refreshed.Data["destination:TestRecorder:backlog"]);
        Assert.Equal(1, await _redis.CommandCallsAsync("xlen"));
        _stalled.Gate!.TrySetResult();
    }

    [Fact]
    public async Task Check_RedisStopped_BacklogUnknownNeverThrowsAndTheGaugeLeavesTheOutboxOut()
    {
        await using var app = await StartAsync();
        using var metrics = new MetricsCollector(app.Services);
        await ViewPagesAsync(app, 1);
        Assert.Equal(1, (await CheckAsync(app)).Data["destination:TestRecorder:backlog"]);

        // Delivered and acknowledged first: an acknowledgement still due when the app stops without Redis would fail its
        // shutdown, which is not what this test is about.
        _stalled.Gate!.TrySetResult();
        Assert.True(await _clock.RunUntilAsync(() => _stalled.Delivered.Count == 1, TimeSpan.FromMinutes(1)));
        Assert.True(await Eventually.TrueAsync(async () => (await _redis.CliAsync("XLEN", Events)).Trim() == "0"));
        await _redis.StopAsync();
        _clock.Advance(OutboxBacklog.RefreshInterval);
        var check = CheckAsync(app);

        // The reading ends when the client gives up or when its timeout, on the app's clock, runs out: whichever is first.
        Assert.True(await Eventually.TrueAsync(() =>
        {
            if (!check.IsCompleted && _clock.HasTimer(OutboxBacklog.Timeout))
            {
                _clock.Advance(OutboxBacklog.Timeout);
            }

            return check.IsCompleted;
        }));
        var entry = await check;
        metrics.Observe();

        Assert.Equal("unknown", entry.Data["destination:TestRecorder:backlog"]);
        Assert.DoesNotContain("backlog", entry.Description ?? "", StringComparison.Ordinal);
        Assert.Null(metrics.Gauge(PersonalizationTelemetry.TrackingQueueLength, ("destination", "TestRecorder"), ("store", "outbox")));
        Assert.Equal(0, metrics.Gauge(PersonalizationTelemetry.TrackingQueueLength, ("destination", "TestRecorder"), ("store", "memory")));
    }

    private static async Task ViewPagesAsync(TestApp app, int count, int first = 0)
    {
        for (var i = first; i < first + count; i++)
        {
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}"));
        }
    }

    private static async Task<HealthReportEntry> CheckAsync(TestApp app)
    {
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.NotEqual(HealthStatus.Unhealthy, report.Status);
        return report.Entries[PersonalizationHealthChecksBuilderExtensions.DefaultName];
    }

    private Task<TestApp> StartAsync() =>
        TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["Personalization:Local:File"] = _files.WriteSingle(("hero", new { Title = "Hi", CtaUrl = "/landing" })),
                ["Personalization:Tracking:Local:Enabled"] = "false",
                ["Personalization:Cache:Redis"] = _redis.ConnectionString,
                ["Personalization:Tracking:Durable"] = "true",
                ["Personalization:Tracking:BacklogWarning"] = "2",

                // The multiplexer connects in the background; the first page waits for it rather than falling back.
                ["Personalization:Tracking:AppendTimeout"] = "00:00:05",
            },
            services => services.AddServerSidePersonalization().AddRedis().Services
                .AddSingleton<ITrackingDestination>(_stalled)
                .AddHealthChecks().AddPersonalization(),
            time: _clock);
}
