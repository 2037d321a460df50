using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Benchmarks;

/// <summary>
/// What a Redis outage costs a page, measured in one run against its own baseline: the same app on Kestrel, a stub
/// MoEngage on loopback that answers at once, and a real redis-server. Every request is a new visitor (an L1 miss),
/// the worst case for L2. Phases: memory only (baseline), Redis up, Redis stopped with the breaker open.
/// </summary>
internal static class RedisOutageLoad
{
    public static async Task<int> RunAsync(int requests)
    {
        await using var stub = await MoEngageAnswers.StartStubAsync();
        await using var redis = await RedisServer.StartAsync();

        Console.WriteLine($"{requests} sequential page views per phase, each a new visitor (an L1 miss); latency in ms");
        Console.WriteLine(LatencySummary.Header());

        // Both apps run side by side; the baseline is measured before and after the Redis phases so that JIT
        // tiering and machine noise show up as a difference between the two baseline rows, not as a result.
        await using var memoryOnly = await AppUnderTest.StartAsync(stub);
        await using var withRedis = await AppUnderTest.StartAsync(stub, redis);
        var before = await MeasureAsync(memoryOnly, "memory only (baseline, before)", requests);
        var up = await MeasureAsync(withRedis, "Redis up", requests);
        await redis.StopAsync();
        await MeasureAsync(withRedis, "(opening the breaker)", 5, print: false);
        var down = await MeasureAsync(withRedis, "Redis stopped, breaker open", requests);
        var after = await MeasureAsync(memoryOnly, "memory only (baseline, after)", requests);
        var baseline = LatencySummary.Mean(before, after);

        Console.WriteLine();
        Console.WriteLine($"added p99 with Redis stopped vs memory only (mean of the two baseline rows): {down.P99 - baseline.P99:+0.00;-0.00} ms (ratio {down.P99 / baseline.P99:0.00})");
        Console.WriteLine($"added p99 with Redis up vs memory only:      {up.P99 - baseline.P99:+0.00;-0.00} ms (ratio {up.P99 / baseline.P99:0.00})");
        Console.WriteLine($"provider calls received by the stub: {stub.Requests.Count} (every page view was an L1 miss)");
        return 0;
    }

    private static async Task<LatencySummary> MeasureAsync(AppUnderTest app, string phase, int requests, bool print = true)
    {
        // Warm-up: JIT tiers, connection pools.
        for (var i = 0; i < Math.Min(1000, requests); i++)
        {
            await app.GetAsync($"warm-{phase}-{i}");
        }

        var views = new List<PageView>(requests);
        for (var i = 0; i < requests; i++)
        {
            var view = await app.GetAsync($"{phase}-{i}");
            if (!view.Personalized)
            {
                throw new InvalidOperationException($"The page answered {view.Status} {view.Body}: the measurement would not be of a personalized page.", view.Error);
            }

            views.Add(view);
        }

        var summary = LatencySummary.Of(views);
        if (print)
        {
            Console.WriteLine(summary.Row(phase));
        }

        return summary;
    }
}
