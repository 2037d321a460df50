using System.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Benchmarks;

/// <summary>
/// Redis stopped and started again in the middle of a run: sequential page views, each a new visitor (an L1 miss, so
/// every one reads and writes L2), with redis-server killed a third of the way in and started again on the same port
/// two thirds of the way in, while the pages keep coming. Every page must answer 200.
/// </summary>
internal static class RedisRestartLoad
{
    public static async Task<int> RunAsync(int requests)
    {
        await using var stub = await MoEngageAnswers.StartStubAsync();
        await using var redis = await RedisServer.StartAsync();
        await using var app = await AppUnderTest.StartAsync(stub, redis);
        for (var i = 0; i < Math.Min(500, requests); i++)
        {
            await app.GetAsync($"warm-{i}");
        }

        string[] phases = ["Redis up", "Redis stopped", "Redis being started again"];
        var views = phases.Select(_ => new List<PageView>()).ToArray();
        Task outage = Task.CompletedTask;
        for (var i = 0; i < requests; i++)
        {
            // The stop and the start run alongside the pages, as an outage would.
            if (i == requests / 3)
            {
                outage = redis.StopAsync();
            }
            else if (i == 2 * requests / 3)
            {
                await outage;
                outage = redis.StartAgainAsync();
            }

            views[Math.Min(2, i * 3 / requests)].Add(await app.GetAsync($"visitor-{i}"));
        }

        // The run outpaces the restart and the L2 breaker's break; keep the pages coming until L2 is written again.
        await outage;
        var restarted = Stopwatch.StartNew();
        var recovery = new List<PageView>();
        var recovered = await Eventually.TrueAsync(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                recovery.Add(await app.GetAsync($"recovery-{recovery.Count}"));
            }

            return (await redis.KeysAsync()).Count > 0;
        }, TimeSpan.FromSeconds(30));
        var all = views.SelectMany(v => v).Concat(recovery).ToList();
        var failed = all.Count(v => v.Failed);
        var exceptions = all.Count(v => v.Error is not null);

        Console.WriteLine($"{requests} sequential page views, each a new visitor (an L1 miss); Redis killed at {requests / 3}, started again at {2 * requests / 3}; latency in ms");
        Console.WriteLine(LatencySummary.Header());
        for (var phase = 0; phase < phases.Length; phase++)
        {
            Console.WriteLine(LatencySummary.Of(views[phase]).Row(phases[phase]));
        }

        Console.WriteLine(LatencySummary.Of(recovery).Row("after it answered PING, until L2 used"));
        Console.WriteLine();
        Console.WriteLine(recovered
            ? $"L2 written again {restarted.Elapsed.TotalSeconds:0.0} s after Redis answered PING ({recovery.Count} more page views, included in the count below)"
            : $"L2 NOT written again within 30 s of Redis answering PING ({recovery.Count} more page views)");
        Console.WriteLine($"non-200 answers: {failed} (of which no answer at all: {exceptions}); pages showing the fallback: {all.Count(v => !v.Personalized && !v.Failed)}");
        return failed == 0 && recovered ? 0 : 1;
    }
}
