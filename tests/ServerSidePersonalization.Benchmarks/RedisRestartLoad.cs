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

        string[] phases = ["Redis up", "Redis stopped", "Redis started again"];
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

        await outage;
        var all = views.SelectMany(v => v).ToList();
        var failed = all.Count(v => v.Failed);
        var exceptions = all.Count(v => v.Error is not null);

        Console.WriteLine($"{requests} sequential page views, each a new visitor (an L1 miss); Redis killed at {requests / 3}, started again at {2 * requests / 3}; latency in ms");
        Console.WriteLine(LatencySummary.Header());
        for (var phase = 0; phase < phases.Length; phase++)
        {
            Console.WriteLine(LatencySummary.Of(views[phase]).Row(phases[phase]));
        }

        Console.WriteLine();
        Console.WriteLine($"non-200 answers: {failed} (of which no answer at all: {exceptions}); pages showing the fallback: {all.Count(v => !v.Personalized && !v.Failed)}");
        Console.WriteLine($"keys in Redis after the run: {(await redis.KeysAsync()).Count} (written after it started again)");
        return failed == 0 ? 0 : 1;
    }
}
