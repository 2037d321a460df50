using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;

namespace ServerSidePersonalization.Tests.Caching;

/// <summary>
/// The cache in memory (L1) in front of a stub MoEngage on loopback: what costs a fetch, what does not, and what is
/// served when the provider fails. Time moves through <see cref="FakeTimeProvider"/>; nothing sleeps.
/// </summary>
public sealed class ExperienceCacheTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 18, 9, 15, 0, TimeSpan.Zero);

    /// <summary>How long a page waits for the provider: MoEngage's timeout as <see cref="MoEngageStub.Settings"/> sets it.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    private readonly ObservedClock _time = new(Morning);
    private StubVendorServer _stub = null!;
    private string _title = "First title";

    public async Task InitializeAsync()
    {
        _stub = await StubVendorServer.StartAsync();
        _stub.Respond = request => MoEngageStub.Answer(title: _ => _title)(request);
    }

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task Get_SixPageViewsOfOneVisitor_OneFetch()
    {
        await using var app = await StartAsync();
        using var metrics = new MetricsCollector(app.Services);

        for (var i = 0; i < 6; i++)
        {
            Assert.Contains("<h1>First title</h1>", await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1")), StringComparison.Ordinal);
            _time.Advance(TimeSpan.FromSeconds(4));
        }

        Assert.Single(_stub.Requests);
        Assert.Equal(1, metrics.Lookups("provider"));
        Assert.Equal(5, metrics.Lookups("l1"));
    }

    [Fact]
    public async Task Get_AbsentExperience_IsCachedToo()
    {
        _stub.Respond = MoEngageStub.Answer(has: _ => false);
        await using var app = await StartAsync();

        for (var i = 0; i < 6; i++)
        {
            Assert.Contains("Fallback hero", await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1")), StringComparison.Ordinal);
        }

        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task Get_AfterMemoryTtl_FetchesAgain()
    {
        await using var app = await StartAsync();

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        _time.Advance(TimeSpan.FromSeconds(29));
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        Assert.Single(_stub.Requests);

        _title = "Second title";
        _time.Advance(TimeSpan.FromSeconds(2));
        var page = await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Equal(2, _stub.Requests.Count);
        Assert.Contains("<h1>Second title</h1>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AcrossTheHour_FetchesAnewEvenWithinTheTtl()
    {
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 18, 10, 59, 50, TimeSpan.Zero));
        await using var app = await StartAsync();

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        _time.Advance(TimeSpan.FromSeconds(5));
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        Assert.Single(_stub.Requests);

        _time.Advance(TimeSpan.FromSeconds(10));
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Equal(["10", "11"], _stub.Requests.Select(r => r.Json.GetProperty("TIME_OF_THE_DAY").GetString()));
    }

    [Fact]
    public async Task Get_AcrossTheHourWithoutTimeOfDay_KeepsTheEntry()
    {
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 18, 10, 59, 50, TimeSpan.Zero));
        await using var app = await StartAsync(("Personalization:Context:IncludeTimeOfDay", "false"));

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        _time.Advance(TimeSpan.FromSeconds(15));
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task Get_ThousandConcurrentRequestsForOneColdUser_OneProviderCall()
    {
        // The vendor answers once every page is waiting (each has armed its budget timer), so all of them overlap the fetch.
        var everyPageWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _stub.Respond = request => MoEngageStub.Answer(title: _ => _title)(request) with { AnswerWhen = everyPageWaiting.Task };
        await using var app = await StartAsync();

        var loading = Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"))));
        Assert.True(await Eventually.TrueAsync(() => _time.Armed(Budget) == 1000), $"{_time.Armed(Budget)} pages are waiting.");
        everyPageWaiting.SetResult();
        var pages = await loading;

        Assert.Single(_stub.Requests);
        Assert.All(pages, page => Assert.Contains("<h1>First title</h1>", page, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_FirstCallerCancelled_TheSharedFetchStillServesTheOthers()
    {
        var vendor = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _stub.Respond = request => MoEngageStub.Answer(title: _ => _title)(request) with { AnswerWhen = vendor.Task };
        await using var app = await StartAsync();

        using var cancel = new CancellationTokenSource();
        var first = app.Client.SendAsync(WithCookie("/Tags/Hero", "visitor-1"), cancel.Token);
        Assert.True(await Eventually.TrueAsync(() => !_stub.Requests.IsEmpty));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        var second = app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        Assert.True(await Eventually.TrueAsync(() => _time.Armed(Budget) == 1), "The second page is not waiting for the fetch.");
        vendor.SetResult();

        Assert.Contains("<h1>First title</h1>", await second, StringComparison.Ordinal);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task Get_ProviderDown_ServesStaleAndRetriesAtMostEvery30Seconds()
    {
        await using var app = await StartAsync();
        using var metrics = new MetricsCollector(app.Services);
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        _stub.Respond = _ => StubResponse.Json("""{"title":"Internal Server Error"}""", 500);
        _time.Advance(TimeSpan.FromSeconds(31));

        // The entry is stale: one try, which fails, then the stale title for 30 s without asking again.
        for (var i = 0; i < 10; i++)
        {
            Assert.Contains("<h1>First title</h1>", await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1")), StringComparison.Ordinal);
            _time.Advance(TimeSpan.FromSeconds(2.9));
        }

        Assert.Equal(2, _stub.Requests.Count);
        Assert.Equal(10, metrics.Lookups("stale"));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("<h1>First title</h1>", await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1")), StringComparison.Ordinal);
        Assert.Equal(3, _stub.Requests.Count);

        _title = "Back again";
        _stub.Respond = request => MoEngageStub.Answer(title: _ => _title)(request);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Contains("<h1>Back again</h1>", await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1")), StringComparison.Ordinal);
        Assert.Equal(4, _stub.Requests.Count);
    }

    [Fact]
    public async Task Get_ProviderTooSlow_ServesStaleWithinTheBudget()
    {
        await using var app = await StartAsync();
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        _stub.Respond = request => MoEngageStub.Answer(title: _ => "Too late")(request) with { AnswerWhen = StubResponse.Never };
        _time.Advance(TimeSpan.FromSeconds(31));

        var page = app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        await _time.AdvanceWhenArmedAsync(Budget);

        Assert.Contains("<h1>First title</h1>", await page, StringComparison.Ordinal);
        Assert.Single(app.Logs.Named("BudgetExceeded"));
    }

    [Fact]
    public async Task Get_StaleOlderThanFailSafeMaxAge_RendersTheFallback()
    {
        await using var app = await StartAsync(("Personalization:Cache:FailSafeMaxAge", "00:10:00"));
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        _stub.Respond = _ => StubResponse.Json("{}", 503);
        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        var page = await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Contains("<h1>Fallback hero</h1>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_VisitorLogsIn_FetchesForTheCustomer()
    {
        await using var app = await StartAsync();
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        var request = WithCookie("/Tags/Hero", "visitor-1");
        request.Headers.Add(TestUser.HeaderPrefix + "nameid", "customer-7");
        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["visitor-1", "customer-7"], _stub.Requests.Select(r => r.Json.GetProperty("customer_id").GetString()));
    }

    [Fact]
    public async Task Get_NewUtmSource_IsANewEntry()
    {
        await using var app = await StartAsync(("Personalization:Context:Attributes:utm_source", "query:utm_source"));

        await app.GetPageAsync("/Tags/Hero?utm_source=mail", ("ssp_vid", "visitor-1"));
        await app.GetPageAsync("/Tags/Hero?utm_source=mail", ("ssp_vid", "visitor-1"));
        await app.GetPageAsync("/Tags/Hero?utm_source=ads", ("ssp_vid", "visitor-1"));

        Assert.Equal(["mail", "ads"], _stub.Requests.Select(r => r.Json.GetProperty("utm_source").GetString()));
    }

    /// <summary>
    /// The visitor's time zone is an events field (MoEngage registers it as event-only): a new value must not cost a
    /// fetch, nor be sent with one.
    /// </summary>
    [Fact]
    public async Task Get_TimezoneOffsetChanges_SameEntryAndNotSent()
    {
        await using var app = await StartAsync(("Personalization:Context:Attributes:user_timezone_offset", "cookie:tz"));

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"), ("tz", "19800"));
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"), ("tz", "-18000"));
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        var fetch = Assert.Single(_stub.Requests);
        Assert.False(fetch.Json.TryGetProperty("user_timezone_offset", out _), fetch.Text);
    }

    /// <summary>A site's own event-only attribute: tracking destinations see it, providers and the cache key do not.</summary>
    [Fact]
    public async Task Get_SiteEventOnlyAttribute_SeenByTrackingNotSentNorKeyed()
    {
        await using var app = await TestApp.StartAsync(
            MoEngageStub.Settings(
                _stub,
                ("Personalization:Context:Attributes:utm_source", "query:utm_source"),
                ("Personalization:Context:Attributes:ab_cohort", "query:ab_cohort"),
                ("Personalization:Context:EventOnlyAttributes:0", "ab_cohort")),
            endpoints: web => web.MapGet("/cohort", (HttpContext c) => c.GetPersonalization().Attributes.Custom.GetValueOrDefault("ab_cohort")),
            time: _time);

        await app.GetPageAsync("/Tags/Hero?utm_source=mail&ab_cohort=a", ("ssp_vid", "visitor-1"));
        await app.GetPageAsync("/Tags/Hero?utm_source=mail&ab_cohort=b", ("ssp_vid", "visitor-1"));
        using var attributes = await app.GetAsync("/cohort?ab_cohort=b", ("ssp_vid", "visitor-1"));

        var fetch = Assert.Single(_stub.Requests);
        Assert.Equal("mail", fetch.Json.GetProperty("utm_source").GetString());
        Assert.False(fetch.Json.TryGetProperty("ab_cohort", out _), fetch.Text);
        Assert.Equal("b", await attributes.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_NoUserIdAtAll_IsNotCached()
    {
        await using var app = await StartAsync(("Personalization:Identity:IssueVisitorCookie", "false"));

        await app.GetPageAsync("/Tags/Hero");
        await app.GetPageAsync("/Tags/Hero");

        Assert.Equal(2, _stub.Requests.Count);
    }

    [Fact]
    public async Task L1_SharedMemoryCacheWithSizeLimit_Works()
    {
        await using var app = await StartAsync(
            services => services.AddMemoryCache(o => o.SizeLimit = 1_000),
            ("Personalization:Cache:UseSharedMemoryCache", "true"));

        for (var i = 0; i < 3; i++)
        {
            Assert.Contains("<h1>First title</h1>", await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1")), StringComparison.Ordinal);
        }

        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task L1_MoreUsersThanTheSizeLimit_StaysWithinTheLimit()
    {
        await using var app = await StartAsync(("Personalization:Cache:MemorySizeLimit", "100"));

        for (var i = 0; i < 250; i++)
        {
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}"));
        }

        Assert.InRange(app.Services.GetRequiredService<L1Cache>().Count, 1, 100);
        Assert.Equal(250, _stub.Requests.Count);
    }

    [Fact]
    public async Task L2_HoldsTheEntry_AnotherAppServesItWithoutAFetch()
    {
        var l2 = new FaultyL2Store();
        await using (var first = await StartAsync(l2))
        {
            await first.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
            Assert.True(await Eventually.TrueAsync(() => l2.Entries.Count == 1), "The entry was never written to L2.");
        }

        await using var second = await StartAsync(l2);
        using var metrics = new MetricsCollector(second.Services);
        var page = await second.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Contains("<h1>First title</h1>", page, StringComparison.Ordinal);
        Assert.Single(_stub.Requests);
        Assert.Equal(1, metrics.Lookups("l2"));
    }

    [Theory]
    [InlineData(L2Fault.Throw)]
    [InlineData(L2Fault.WrongCount)]
    public async Task L2_Fails_FetchesFromTheProviderAndLogsTheOutageOnce(L2Fault fault)
    {
        var l2 = new FaultyL2Store { Fault = fault };
        await using var app = await StartAsync(l2);
        using var metrics = new MetricsCollector(app.Services);

        for (var i = 0; i < 3; i++)
        {
            Assert.Contains("<h1>First title</h1>", await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}")), StringComparison.Ordinal);

            // The page's write to L2 runs after it answered; let it settle so the next read meets a breaker that saw it.
            var writes = i + 1;
            Assert.True(await Eventually.TrueAsync(() =>
                metrics.L2("set", "success") + metrics.L2("set", "failure") + metrics.L2("set", "skipped") == writes));
        }

        // The breaker opens on a failure once at least half of at least two calls failed: a store that throws fails the
        // first read and its write; one that answers the wrong count fails reads only, so the second read opens it.
        Assert.Equal(3, _stub.Requests.Count);
        Assert.Equal(fault == L2Fault.WrongCount ? 2 : 1, metrics.L2("get", "failure"));
        Assert.Single(app.Logs.Named("L2OutageStarted"));
        Assert.Empty(app.Logs.Named("L2OutageEnded"));
    }

    [Fact]
    public async Task L2_Hangs_ProviderAskedOnceTheL2TimeoutIsOverOnTheClock()
    {
        var l2 = new FaultyL2Store { Fault = L2Fault.Hang };
        await using var app = await StartAsync(l2, ("Personalization:Cache:DistributedTimeout", "00:00:00.100"));
        using var metrics = new MetricsCollector(app.Services);

        var page = app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        Assert.True(await Eventually.TrueAsync(() => l2.Gets == 1 && _time.HasTimer(TimeSpan.FromMilliseconds(100))), "L2 was never asked.");
        Assert.Empty(_stub.Requests);
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Contains("<h1>First title</h1>", await page, StringComparison.Ordinal);
        Assert.Single(_stub.Requests);
        Assert.Equal(1, metrics.L2("get", "timeout"));
    }

    [Fact]
    public async Task L2_AfterAFailure_SkippedForTheBreakDurationThenUsedAgain()
    {
        var l2 = new FaultyL2Store { Fault = L2Fault.Throw };
        await using var app = await StartAsync(l2, ("Personalization:Cache:DistributedBreakDuration", "00:00:05"));
        using var metrics = new MetricsCollector(app.Services);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        l2.Fault = L2Fault.None;
        _time.Advance(TimeSpan.FromSeconds(4.9));
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-2"));
        Assert.Equal(1, l2.Gets);
        Assert.Equal(1, metrics.L2("get", "skipped"));

        _time.Advance(TimeSpan.FromSeconds(0.1));
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-3"));

        Assert.Equal(2, l2.Gets);
        Assert.Equal(1, metrics.L2("get", "success"));
        Assert.Single(app.Logs.Named("L2OutageStarted"));
        Assert.Single(app.Logs.Named("L2OutageEnded"));
        Assert.Equal(3, _stub.Requests.Count);
    }

    private static HttpRequestMessage WithCookie(string path, string visitor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"ssp_vid={visitor}");
        return request;
    }

    private Task<TestApp> StartAsync(params (string Key, string? Value)[] settings) => StartAsync((Action<IServiceCollection>?)null, settings);

    private Task<TestApp> StartAsync(FaultyL2Store l2, params (string Key, string? Value)[] settings) =>
        StartAsync(services => services.AddSingleton<IL2Store>(l2), settings);

    private Task<TestApp> StartAsync(Action<IServiceCollection>? services, params (string Key, string? Value)[] settings) =>
        TestApp.StartAsync(MoEngageStub.Settings(_stub, settings), services, beforePersonalization: app => app.UseTestUser(), time: _time);
}
