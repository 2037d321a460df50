using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.Diagnostics;

/// <summary>
/// <c>AddHealthChecks().AddPersonalization()</c> with each cause of degradation driven for real: a vendor failing until
/// its breaker opens, a stopped redis-server, a destination refusing its credentials, a destination that never answers.
/// Degraded names the cause; the check is never Unhealthy.
/// </summary>
public sealed class PersonalizationHealthCheckTests : IAsyncLifetime
{
    private readonly ObservedClock _clock = new();
    private StubVendorServer _stub = null!;

    public async Task InitializeAsync() => _stub = await StubVendorServer.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task AllWell_Healthy()
    {
        _stub.Respond = MoEngageStub.Route(MoEngageStub.Answer());
        var recorder = new RecordingDestination();
        await using var app = await StartAsync(
            services => services.AddSingleton<IL2Store>(new FaultyL2Store()).AddSingleton<ITrackingDestination>(recorder));

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        Assert.True(await _clock.RunUntilAsync(() => recorder.Delivered.Count == 1, TimeSpan.FromMinutes(1)));

        var entry = await CheckAsync(app);
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("ok", entry.Data["provider:MoEngage"]);
        Assert.Equal("ok", entry.Data["l2"]);
        Assert.Equal(0, entry.Data["destination:TestRecorder:backlog"]);
    }

    [Fact]
    public async Task ProviderBreakerOpen_DegradedNamingTheProvider_HealthyAgainOnceItCloses()
    {
        var failing = true;
        _stub.Respond = MoEngageStub.AnswerUnless(() => Volatile.Read(ref failing));
        await using var app = await StartAsync();

        for (var i = 0; i < 5; i++)
        {
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}"));
        }

        var entry = await CheckAsync(app);
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("provider MoEngage: circuit breaker open, pages serve stale entries or fallbacks.", entry.Description);

        Volatile.Write(ref failing, false);
        _clock.Advance(TimeSpan.FromSeconds(15));
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-after"));
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(app)).Status);
    }

    [Fact]
    public async Task RedisStopped_DegradedNamingL2()
    {
        _stub.Respond = MoEngageStub.Answer();
        await using var redis = await RedisServer.StartAsync();
        await using var app = await StartAsync(
            services => services.AddServerSidePersonalization().AddRedis(),
            ("Personalization:Cache:Redis", redis.ConnectionString));
        await app.WarmUpL2Async("/Tags/Hero");
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(app)).Status);

        await redis.StopAsync();
        var visitor = 0;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            await app.GetPageOnTheClockAsync("/Tags/Hero", _clock, TimeSpan.FromMilliseconds(100), ("ssp_vid", $"visitor-{visitor++}"));
            return (await CheckAsync(app)).Status != HealthStatus.Healthy;
        }));

        var entry = await CheckAsync(app);
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("L2 cache unreachable, pages use L1 and the provider.", entry.Description);
        Assert.Equal("unreachable", entry.Data["l2"]);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task DestinationRefusesCredentials_DegradedNamingThePausedDestination(int status)
    {
        var refused = true;
        _stub.Respond = MoEngageStub.Route(
            MoEngageStub.Answer(),
            _ => Volatile.Read(ref refused) ? StubResponse.Json("""{"title":"Authorization Failed"}""", status) : StubResponse.Json("""{"status":"success"}"""));
        await using var app = await StartAsync(services: null, ("Personalization:Tracking:MoEngage:Enabled", "true"));
        using var metrics = new MetricsCollector(app.Services);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        Assert.True(await _clock.RunUntilAsync(() => app.Logs.Named("TrackingDestinationUnauthorized").Count == 1, TimeSpan.FromMinutes(1)));

        var entry = await CheckAsync(app);
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("destination MoEngage: paused, credentials refused.", entry.Description);

        // The keys are fixed: after the pause the queued event goes out and the destination is healthy again.
        Volatile.Write(ref refused, false);
        await _clock.AdvanceWhenArmedAsync(TimeSpan.FromMinutes(5));
        Assert.True(await Eventually.TrueAsync(() => metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "delivered")) == 1));
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(app)).Status);
    }

    [Fact]
    public async Task DestinationStalled_BacklogAboveTheWarning_DegradedNamingTheBacklog()
    {
        _stub.Respond = MoEngageStub.Answer();
        var stalled = new RecordingDestination { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var app = await StartAsync(
            services => services.AddSingleton<ITrackingDestination>(stalled),
            ("Personalization:Tracking:BacklogWarning", "2"));

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-2"));
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(app)).Status);
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-3"));

        var entry = await CheckAsync(app);
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("destination TestRecorder: backlog 3 events, above 2.", entry.Description);
        stalled.Gate!.TrySetResult();
    }

    [Fact]
    public async Task BacklogWarningAboveQueueCapacity_FailsAtStartup()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => StartAsync(
            services: null, ("Personalization:Tracking:QueueCapacity", "100"), ("Personalization:Tracking:BacklogWarning", "101")));

        Assert.Contains("Personalization:Tracking:BacklogWarning (101) must not be above Personalization:Tracking:QueueCapacity (100)", error.Message, StringComparison.Ordinal);
    }

    private static async Task<HealthReportEntry> CheckAsync(TestApp app)
    {
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.NotEqual(HealthStatus.Unhealthy, report.Status);
        return report.Entries[PersonalizationHealthChecksBuilderExtensions.DefaultName];
    }

    private Task<TestApp> StartAsync(Action<IServiceCollection>? services = null, params (string Key, string? Value)[] settings) =>
        TestApp.StartAsync(
            MoEngageStub.Settings(_stub, settings),
            s =>
            {
                s.AddHealthChecks().AddPersonalization();
                services?.Invoke(s);
            },
            time: _clock);
}
