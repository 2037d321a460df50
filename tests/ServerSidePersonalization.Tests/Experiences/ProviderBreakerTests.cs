using Microsoft.AspNetCore.Http;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;

namespace ServerSidePersonalization.Tests.Experiences;

/// <summary>
/// The Polly pipeline in front of a provider, against a stub MoEngage on the app's fake clock: while the vendor fails,
/// pages stop calling it and render their fallback at once; a fetch that hangs is cancelled at its attempt timeout.
/// </summary>
public sealed class ProviderBreakerTests : IAsyncLifetime
{
    private readonly ObservedClock _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private StubVendorServer _stub = null!;

    public async Task InitializeAsync() => _stub = await StubVendorServer.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task VendorFailing_FiveFailedFetchesOpenTheBreaker_PagesSkipItUntilOneFetchAfterTheBreakSucceeds()
    {
        var failing = true;
        _stub.Respond = MoEngageStub.AnswerUnless(() => Volatile.Read(ref failing));
        await using var app = await StartAsync();
        using var metrics = new MetricsCollector(app.Services);

        for (var i = 0; i < 20; i++)
        {
            var page = await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}"));
            Assert.Contains("<h1>Fallback hero</h1>", page, StringComparison.Ordinal);
        }

        Assert.Equal(5, _stub.Requests.Count);
        Assert.Equal(15, metrics.Sum(PersonalizationTelemetry.ProviderSkipped, ("provider", "MoEngage")));
        var opened = Assert.Single(app.Logs.Named("ProviderBreakerOpened"));
        Assert.Contains("15 s", opened.Message, StringComparison.Ordinal);

        // Still open a moment before the break is over; then one fetch tries the vendor, which answers again.
        Volatile.Write(ref failing, false);
        _clock.Advance(TimeSpan.FromSeconds(14));
        Assert.Contains("<h1>Fallback hero</h1>", await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-a")), StringComparison.Ordinal);
        Assert.Equal(5, _stub.Requests.Count);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("<h1>Title of hero</h1>", await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-b")), StringComparison.Ordinal);
        Assert.Contains("<h1>Title of hero</h1>", await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-c")), StringComparison.Ordinal);
        Assert.Equal(7, _stub.Requests.Count);
        Assert.Single(app.Logs.Named("ProviderBreakerClosed"));
    }

    [Fact]
    public async Task VendorAnswersEmpty_NotAFailure_BreakerStaysClosed()
    {
        _stub.Respond = _ => StubResponse.Json("""{"experiences":{}}""");
        await using var app = await StartAsync();

        for (var i = 0; i < 10; i++)
        {
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}"));
        }

        Assert.Equal(10, _stub.Requests.Count);
        Assert.Empty(app.Logs.Named("ProviderBreakerOpened"));
    }

    [Fact]
    public async Task VendorHangs_PageGetsTheFallbackAtTheBudget_FetchCancelledAtTheAttemptTimeout()
    {
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _stub.Respond = _ => new StubResponse(200, Writer: async response => await never.Task.WaitAsync(response.HttpContext.RequestAborted));
        await using var app = await StartAsync(("Personalization:MoEngage:Timeout", "00:00:00.300"), ("Personalization:MoEngage:HttpTimeout", "00:00:02"));

        var page = app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        Assert.True(await Eventually.TrueAsync(() => _clock.HasTimer(TimeSpan.FromMilliseconds(300))
            && _clock.HasTimer(TimeSpan.FromSeconds(2))));
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Contains("<h1>Fallback hero</h1>", await page, StringComparison.Ordinal);

        // The fetch goes on after the page stopped waiting (its answer would still fill the cache), until its own timeout.
        _clock.Advance(TimeSpan.FromMilliseconds(1699));
        Assert.Empty(app.Logs.Named("ProviderTimedOut"));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await Eventually.TrueAsync(() => app.Logs.Named("ProviderTimedOut").Count == 1));
        never.TrySetResult();
    }

    private Task<TestApp> StartAsync(params (string Key, string? Value)[] settings) =>
        TestApp.StartAsync(MoEngageStub.Settings(_stub, settings), time: _clock);
}
