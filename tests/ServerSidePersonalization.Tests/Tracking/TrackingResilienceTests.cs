using System.Collections.Concurrent;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;

namespace ServerSidePersonalization.Tests.Tracking;

/// <summary>
/// The delivery policy with its default settings against a real stub vendor, on a clock that jumps from timer to timer:
/// an outage loses nothing and duplicates nothing, refused credentials pause instead of burning retries, and the vendor's
/// Retry-After is the wait.
/// </summary>
public sealed class TrackingResilienceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private readonly SteppingClock _clock = new(Start);
    private readonly ConcurrentQueue<(TimeSpan At, int Status, string[] Uuids)> _answers = new();
    private StubVendorServer _stub = null!;

    public async Task InitializeAsync() => _stub = await StubVendorServer.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task Outage_503For60SimulatedSeconds_ThousandImpressionsEachDeliveredOnce()
    {
        var outageEnd = Start + TimeSpan.FromSeconds(60);
        Events(_ => _clock.GetUtcNow() < outageEnd ? Status(503) : Accepted());
        await using var app = await StartAsync();
        using var metrics = new MetricsCollector(app.Services);

        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}")));

        Assert.True(await _clock.RunUntilAsync(() => Accepted(_answers).Count() == 1000, TimeSpan.FromMinutes(30)));
        var accepted = Accepted(_answers).ToList();
        Assert.Equal(1000, accepted.Distinct(StringComparer.Ordinal).Count());
        // The sixth attempt comes 0.75 x (1 + 2 + 4 + 8 + 16) s after the first at the earliest: still in the outage.
        Assert.Contains(_answers, a => a.Status == 503 && a.At >= TimeSpan.FromSeconds(23));
        Assert.All(_answers.Where(a => a.Status == 200), a => Assert.True(a.At >= TimeSpan.FromSeconds(60)));
        Assert.Equal(1000, metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "delivered")));
        Assert.Equal(0, metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "dropped")));
        Assert.True(metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "retried")) >= 100);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task CredentialsRefused_PausesKeepsTheEventLogsOneErrorThenDeliversWithTheSameUuid(int status)
    {
        var refused = true;
        Events(_ => Volatile.Read(ref refused) ? Status(status) : Accepted());
        await using var app = await StartAsync();
        using var metrics = new MetricsCollector(app.Services);
        var pause = TimeSpan.FromMinutes(5);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        Assert.True(await _clock.RunUntilAsync(() => !_answers.IsEmpty, TimeSpan.FromMinutes(1)));
        Assert.True(await Eventually.TrueAsync(() => _clock.ArmedDueTimes.Contains(pause)));
        Assert.Single(_answers);
        var error = Assert.Single(app.Logs.Named("TrackingDestinationUnauthorized"));
        Assert.Contains("Personalization:MoEngage:WorkspaceId and ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, metrics.Sum(PersonalizationTelemetry.TrackingPauses, ("destination", "MoEngage")));

        // Still refused after the pause: one more request, no second error, no drop.
        _clock.Advance(pause);
        Assert.True(await Eventually.TrueAsync(() => _answers.Count == 2 && _clock.ArmedDueTimes.Contains(pause)));
        Assert.Single(app.Logs.Named("TrackingDestinationUnauthorized"));

        Volatile.Write(ref refused, false);
        _clock.Advance(pause);
        Assert.True(await Eventually.TrueAsync(() => metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "delivered")) == 1));
        Assert.Equal([status, status, 200], _answers.Select(a => a.Status));
        Assert.Single(_answers.SelectMany(a => a.Uuids).Distinct(StringComparer.Ordinal));
        var first = _answers.First().At;
        Assert.Equal([first, first + pause, first + (2 * pause)], _answers.Select(a => a.At));
        Assert.Single(app.Logs.Named("TrackingDestinationResumed"));
        Assert.Equal(0, metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "dropped")));
        Assert.Equal(1, metrics.Sum(PersonalizationTelemetry.TrackingPauses, ("destination", "MoEngage")));
    }

    [Theory]
    [InlineData("7", 7)]
    [InlineData("3600", 60)]
    public async Task RetryAfter_IsTheWaitUpToTheMaximumDelay(string retryAfter, int expectedSeconds)
    {
        var calls = 0;
        Events(_ => Interlocked.Increment(ref calls) == 1
            ? new StubResponse(429, "{}", Headers: new Dictionary<string, string> { ["Retry-After"] = retryAfter })
            : Accepted());
        await using var app = await StartAsync();

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.True(await _clock.RunUntilAsync(() => _answers.Count == 2, TimeSpan.FromMinutes(5)));
        var (first, second) = (_answers.First().At, _answers.Last().At);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), second - first);
    }

    private static IEnumerable<string> Accepted(IEnumerable<(TimeSpan At, int Status, string[] Uuids)> answers) =>
        answers.Where(a => a.Status == 200).SelectMany(a => a.Uuids);

    private static StubResponse Accepted() => StubResponse.Json("""{"status":"success"}""");

    private static StubResponse Status(int status) => StubResponse.Json("""{"title":"unavailable"}""", status);

    /// <summary>Answers the events endpoint with <paramref name="answer"/>, noting each answer's simulated time, status and event ids.</summary>
    private void Events(Func<RecordedRequest, StubResponse> answer) =>
        _stub.Respond = MoEngageStub.Route(MoEngageStub.Answer(), request =>
        {
            var response = answer(request);
            var uuids = MoEngageStub.EventUuids(request).ToArray();
            _answers.Enqueue((_clock.GetUtcNow() - Start, response.Status, uuids));
            return response;
        });

    private Task<TestApp> StartAsync() => TestApp.StartAsync(
        MoEngageStub.Settings(_stub, ("Personalization:Tracking:MoEngage:Enabled", "true")),
        time: _clock);
}
