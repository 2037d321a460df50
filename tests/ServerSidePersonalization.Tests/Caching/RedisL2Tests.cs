using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;

namespace ServerSidePersonalization.Tests.Caching;

/// <summary>
/// L2 on a real redis-server that each test starts on a free port (and stops or pauses for outages), with the app on
/// the test server and a stub MoEngage on loopback.
/// </summary>
public sealed class RedisL2Tests : IAsyncLifetime
{
    private StubVendorServer _stub = null!;
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        _stub = await StubVendorServer.StartAsync();
        _stub.Respond = MoEngageStub.Answer();
        _redis = await RedisServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _stub.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Get_AfterAppRestart_ServedFromRedisWithoutAFetch()
    {
        await using (var first = await StartAsync())
        {
            Assert.Contains("<h1>Title of hero</h1>", await first.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1")), StringComparison.Ordinal);
            await WaitForKeysAsync(1);
        }

        await using var second = await StartAsync();
        using var metrics = new MetricsCollector(second.Services);
        var page = await second.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Contains("<h1>Title of hero</h1>", page, StringComparison.Ordinal);
        Assert.Single(_stub.Requests);
        Assert.Equal(1, metrics.Lookups("l2"));
    }

    [Fact]
    public async Task Keys_HoldNoRawIdsAndAllExpire()
    {
        await using var app = await StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/Tags/Declared");
        request.Headers.Add("Cookie", "ssp_vid=visitor-raw-id-123");
        await app.Client.SendAsync(request);
        var signedIn = new HttpRequestMessage(HttpMethod.Get, "/Tags/Declared");
        signedIn.Headers.Add("Cookie", "ssp_vid=visitor-raw-id-123");
        signedIn.Headers.Add(TestUser.HeaderPrefix + "nameid", "customer-raw-id-456");
        await app.Client.SendAsync(signedIn);

        var keys = await WaitForKeysAsync(6);

        Assert.All(keys, key =>
        {
            Assert.Matches("^ssp:v2:\\{[0-9a-f]{32}\\}:MoEngage:", key);
            Assert.DoesNotContain("visitor-raw-id-123", key, StringComparison.Ordinal);
            Assert.DoesNotContain("customer-raw-id-456", key, StringComparison.Ordinal);
        });
        Assert.Equal(2, keys.Select(k => k.Split(':')[2]).Distinct().Count());
        foreach (var key in keys)
        {
            var ttl = long.Parse((await _redis.CliAsync("TTL", key)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(ttl, 1, (long)TimeSpan.FromHours(1).TotalSeconds);
            Assert.DoesNotContain("raw-id", await _redis.CliAsync("GET", key), StringComparison.Ordinal);
        }
    }

    /// <summary>MoEngage is sent the address itself (its default), yet Redis and the logs never hold it.</summary>
    [Fact]
    public async Task Keys_EmailCustomerId_NeitherKeysNorValuesNorLogsHoldTheAddress()
    {
        const string email = "Jane.Doe@Example.com";
        await using var app = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Tags/Declared");
        request.Headers.Add("Cookie", "ssp_vid=visitor-1");
        request.Headers.Add(TestUser.HeaderPrefix + "nameid", email);
        (await app.Client.SendAsync(request)).Dispose();

        var keys = await WaitForKeysAsync(3);

        Assert.NotEmpty(_stub.Requests);
        Assert.All(_stub.Requests, r => Assert.Equal(email, r.Json.GetProperty("customer_id").GetString()));
        Assert.Equal(3, keys.Count);
        foreach (var key in keys)
        {
            Assert.DoesNotContain("jane.doe", key, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("jane.doe", await _redis.CliAsync("GET", key), StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain("jane.doe", app.Logs.AllText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_ThirtyKeysOnAnL1Miss_OneRedisRoundTrip()
    {
        var keys = Enumerable.Range(0, 30).Select(i => $"key-{i:00}").ToArray();
        await using var app = await StartAsync([.. keys.Select((k, i) => ($"Personalization:Experiences:{i}", (string?)k))]);
        await app.WarmUpL2Async("/Tags/Hero");
        await _redis.CliAsync("CONFIG", "RESETSTAT");

        await app.GetPageAsync("/Tags/Many", ("ssp_vid", "visitor-1"));

        Assert.Equal(1, await _redis.CommandCallsAsync("mget"));
        Assert.Equal(0, await _redis.CommandCallsAsync("get"));
        var entries = (await WaitForKeysAsync(61)).Where(k => k.Contains(":key-", StringComparison.Ordinal)).GroupBy(k => k.Split(':')[2]);
        Assert.All(entries, perVisitor => Assert.Equal(30, perVisitor.Count()));
    }

    [Fact]
    public async Task Values_AreCompactAndCarryTheFetchTimeAndJitteredFreshness()
    {
        var now = new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.Zero);
        await using var app = await StartAsync(new FakeTimeProvider(now), ("Personalization:Context:IncludeTimeOfDay", "false"));

        for (var i = 0; i < 20; i++)
        {
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}"));
        }

        var freshFor = new List<double>();
        foreach (var key in await WaitForKeysAsync(20))
        {
            var raw = (await _redis.CliAsync("GET", key)).Trim();
            using var value = JsonDocument.Parse(raw);
            Assert.Equal(now.ToUnixTimeMilliseconds(), value.RootElement.GetProperty("t").GetInt64());
            freshFor.Add(TimeSpan.FromMilliseconds(value.RootElement.GetProperty("f").GetInt64() - now.ToUnixTimeMilliseconds()).TotalMinutes);
            Assert.InRange(raw.Length, 100, 1000);
        }

        Assert.All(freshFor, minutes => Assert.InRange(minutes, 9, 11));
        Assert.True(freshFor.Distinct().Count() > 10, "Entries written together get different lifetimes.");
    }

    [Fact]
    public async Task Get_GarbageInRedis_IsAMissNotAnError()
    {
        await using var first = await StartAsync();
        await first.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        var key = Assert.Single(await WaitForKeysAsync(1));
        await _redis.CliAsync("SET", key, "{not json at all");
        await using var second = await StartAsync();

        var page = await second.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Contains("<h1>Title of hero</h1>", page, StringComparison.Ordinal);
        Assert.Equal(2, _stub.Requests.Count);
    }

    [Fact]
    public async Task Outage_RedisStopped_PagesAnswerAndTheBreakerSkipsL2ThenRecovers()
    {
        var clock = new ObservedClock();
        await using var app = await StartAsync(clock, (L2Timeout, "00:00:00.100"));
        using var metrics = new MetricsCollector(app.Services);
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "warm-up"));
        await WaitForKeysAsync(1);

        await _redis.StopAsync();
        for (var i = 0; i < 100; i++)
        {
            Assert.Contains("<h1>Title of hero</h1>", await PageOnTheClockAsync(app, clock, $"visitor-{i}"), StringComparison.Ordinal);
        }

        // Each page is a new visitor (an L1 miss). The first page's read fails, which (after the warm-up's calls) opens
        // the breaker for 5 s of the clock that has not moved since: every other read and write skips L2.
        var failed = metrics.L2("get", "failure") + metrics.L2("get", "timeout") + metrics.L2("set", "failure") + metrics.L2("set", "timeout");
        Assert.Equal(1, failed);
        Assert.Equal(99, metrics.L2("get", "skipped"));
        Assert.Single(app.Logs.Named("L2OutageStarted"));
        Assert.Empty(app.Logs.Named("L2OutageEnded"));

        // Back: each break over, one read tries Redis; the multiplexer reconnects in real time, so until it has, that
        // read fails and the breaker opens again. One page per break until a read succeeds.
        var successesBefore = metrics.L2("get", "success");
        await _redis.StartAgainAsync();
        var visitor = 0;
        Assert.True(
            await Eventually.TrueAsync(async () =>
            {
                clock.Advance(TimeSpan.FromSeconds(5));
                await PageOnTheClockAsync(app, clock, $"after-{visitor++}");
                return metrics.L2("get", "success") > successesBefore;
            }),
            "L2 was not used again after Redis came back.");
        Assert.Single(app.Logs.Named("L2OutageEnded"));
        Assert.Single(app.Logs.Named("L2OutageStarted"));
    }

    /// <summary>
    /// A page whose L2 calls may wait on Redis: while it is not answered, each L2 call that is waiting is timed out by
    /// moving the clock by the L2 timeout once that timer is armed.
    /// </summary>
    private static Task<string> PageOnTheClockAsync(TestApp app, ObservedClock clock, string visitor) =>
        app.GetPageOnTheClockAsync("/Tags/Hero", clock, TimeSpan.FromMilliseconds(100), ("ssp_vid", visitor));

    [Fact]
    public async Task Outage_RedisHangs_PagesStillRender()
    {
        await using var app = await StartAsync((L2Timeout, "00:00:00.100"));
        using var metrics = new MetricsCollector(app.Services);
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "warm-up"));
        await _redis.PauseAsync();

        for (var i = 0; i < 10; i++)
        {
            Assert.Contains("<h1>Title of hero</h1>", await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}")), StringComparison.Ordinal);
        }

        Assert.True(metrics.L2("get", "timeout") >= 1, "A Redis that never answers is given up after the L2 timeout.");
        Assert.True(metrics.L2("get", "skipped") >= 8);
        await _redis.ResumeAsync();
    }

    [Fact]
    public async Task Start_RedisConfiguredWithoutAddRedis_FailsWithAMessage()
    {
        var settings = MoEngageStub.Settings(_stub, ("Personalization:Cache:Redis", _redis.ConnectionString));

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestApp.StartAsync(settings));

        Assert.Contains("AddRedis()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AddRedisWithoutConnectionString_StaysInMemory()
    {
        await using var app = await TestApp.StartAsync(
            MoEngageStub.Settings(_stub),
            services => services.AddServerSidePersonalization().AddRedis());
        using var metrics = new MetricsCollector(app.Services);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Equal(0, metrics.Sum(ServerSidePersonalization.Diagnostics.PersonalizationTelemetry.L2Operations));
        Assert.Empty(await _redis.KeysAsync());
    }

    // Any failed L2 call opens the breaker for 5 s, and these tests share two cores with the rest of the suite: a real
    // Redis gets 2 s before a call counts as failed. The outage tests set the 100 ms default back.
    private const string L2Timeout = "Personalization:Cache:DistributedTimeout";

    private Task<TestApp> StartAsync(params (string Key, string? Value)[] settings) => StartAsync(null, settings);

    private Task<TestApp> StartAsync(TimeProvider? time, params (string Key, string? Value)[] settings) =>
        TestApp.StartAsync(
            MoEngageStub.Settings(_stub, [("Personalization:Cache:Redis", _redis.ConnectionString), (L2Timeout, "00:00:02"), .. settings]),
            services => services.AddServerSidePersonalization().AddRedis(),
            beforePersonalization: app => app.UseTestUser(),
            time: time);

    /// <summary>
    /// Writes to L2 happen after the page is answered; wait (bounded) until they are all there. Only the cache's keys
    /// count: the Data Protection key ring lives in the same Redis.
    /// </summary>
    private async Task<IReadOnlyList<string>> WaitForKeysAsync(int count)
    {
        IReadOnlyList<string> keys = [];
        await Eventually.TrueAsync(
            async () =>
            {
                keys = await _redis.KeysAsync("ssp:*");
                return keys.Count >= count;
            });
        return keys;
    }
}
