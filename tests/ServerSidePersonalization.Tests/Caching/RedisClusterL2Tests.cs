using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Caching;

/// <summary>
/// L2 on a real three-node Redis Cluster that each test starts on free ports, with the app on the test server and the
/// Local provider. L1 freshness is off, so every page view is an L1 miss.
/// </summary>
public sealed class RedisClusterL2Tests : IAsyncLifetime, IDisposable
{
    private static readonly string[] Keys = [.. Enumerable.Range(0, 10).Select(i => $"key-{i:00}")];
    private readonly ExperienceFiles _files = new();
    private RedisCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await RedisCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Get_TenExperiencesOnAnL1Miss_OneReadCommandOnTheCluster()
    {
        await using var app = await StartAsync();
        using var metrics = new MetricsCollector(app.Services);
        await app.WarmUpL2Async("/Tags/Hero");
        await _cluster.ResetStatsAsync();

        var first = await app.GetPageAsync("/Tags/Ten", ("ssp_vid", "visitor-1"));

        Assert.Equal(10, Regex.Count(first, "<span class=\"found\">Title of key-"));
        Assert.Equal(1, await _cluster.CommandCallsAsync("mget"));
        Assert.Equal(0, await _cluster.CommandCallsAsync("get"));

        // The entries are written after the page is answered: wait (bounded) until all ten are on the cluster.
        IReadOnlyList<string> written = [];
        Assert.True(await Eventually.TrueAsync(async () => (written = await _cluster.KeysAsync("ssp:v2:*:Local:key-*")).Count == 10));
        var slots = await Task.WhenAll(written.Select(_cluster.KeySlotAsync));
        Assert.Single(slots.Distinct());

        var lookupsBefore = metrics.Lookups("l2");
        await _cluster.ResetStatsAsync();
        var second = await app.GetPageAsync("/Tags/Ten", ("ssp_vid", "visitor-1"));

        Assert.Equal(first, second);
        Assert.Equal(10, metrics.Lookups("l2") - lookupsBefore);
        Assert.Equal(1, await _cluster.CommandCallsAsync("mget"));
        Assert.Equal(0, await _cluster.CommandCallsAsync("get"));
    }

    [Fact]
    public async Task Keys_ManyVisitors_EachVisitorsEntriesShareOneSlotAndVisitorsSpreadOverTheNodes()
    {
        await using var app = await StartAsync();
        await app.WarmUpL2Async("/Tags/Hero");

        for (var i = 0; i < 12; i++)
        {
            await app.GetPageAsync("/Tags/Ten", ("ssp_vid", $"visitor-{i}"));
        }

        IReadOnlyList<string>[] perNode = [];
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            perNode = await Task.WhenAll(_cluster.Nodes.Select(n => n.KeysAsync("ssp:v2:*:Local:key-*")));
            return perNode.Sum(keys => keys.Count) == 120;
        }));
        var visitors = perNode.SelectMany(keys => keys).GroupBy(k => k.Split(':')[2]).ToList();
        Assert.Equal(12, visitors.Count);
        foreach (var visitor in visitors)
        {
            Assert.Equal(Keys, visitor.Select(k => k.Split(':')[^1]).Order(StringComparer.Ordinal));
            Assert.Single((await Task.WhenAll(visitor.Select(_cluster.KeySlotAsync))).Distinct());
        }

        Assert.True(perNode.Count(keys => keys.Count > 0) > 1, "Twelve visitors' entries all landed on one node.");
    }

    private Task<TestApp> StartAsync() =>
        TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["Personalization:Cache:Redis"] = _cluster.ConnectionString,

                // Any failed L2 call opens the breaker; on a busy machine a real cluster gets 2 s per call.
                ["Personalization:Cache:DistributedTimeout"] = "00:00:02",
                ["Personalization:Cache:MemoryTtl"] = "00:00:00",
                ["Personalization:Local:File"] = _files.WriteSingle([.. Keys.Select(k => (k, (object)new { Title = $"Title of {k}" }))]),
            },
            services => services.AddServerSidePersonalization().AddRedis());
}
