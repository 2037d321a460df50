using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
        await using var stub = await StubVendorServer.StartAsync();
        stub.Respond = request =>
        {
            var experiences = new JsonObject();
            foreach (var key in request.Json.GetProperty("experience_key").EnumerateArray())
            {
                experiences[key.GetString()!] = new JsonObject
                {
                    ["payload"] = new JsonObject { ["Title"] = new JsonObject { ["value"] = "Hello", ["data_type"] = "string" } },
                    ["experience_context"] = new JsonObject { ["cid"] = "c", ["moe_variation_id"] = "1" },
                };
            }

            return StubResponse.Json(new JsonObject { ["experiences"] = experiences }.ToJsonString());
        };
        await using var redis = await RedisServer.StartAsync();

        Console.WriteLine($"{requests} sequential page views per phase, each a new visitor (an L1 miss); latency in ms");
        Console.WriteLine($"{"phase",-34} {"p50",7} {"p90",7} {"p99",7} {"max",7}");

        // Both apps run side by side; the baseline is measured before and after the Redis phases so that JIT
        // tiering and machine noise show up as a difference between the two baseline rows, not as a result.
        await using var memoryOnly = await AppUnderTest.StartAsync(stub, redis: null);
        await using var withRedis = await AppUnderTest.StartAsync(stub, redis);
        var before = await MeasureAsync(memoryOnly, "memory only (baseline, before)", requests);
        var up = await MeasureAsync(withRedis, "Redis up", requests);
        await redis.StopAsync();
        await MeasureAsync(withRedis, "(opening the breaker)", 5, print: false);
        var down = await MeasureAsync(withRedis, "Redis stopped, breaker open", requests);
        var after = await MeasureAsync(memoryOnly, "memory only (baseline, after)", requests);
        var baseline = new Summary((before.P50 + after.P50) / 2, (before.P90 + after.P90) / 2, (before.P99 + after.P99) / 2, Math.Max(before.Max, after.Max));

        Console.WriteLine();
        Console.WriteLine($"added p99 with Redis stopped vs memory only (mean of the two baseline rows): {down.P99 - baseline.P99:+0.00;-0.00} ms (ratio {down.P99 / baseline.P99:0.00})");
        Console.WriteLine($"added p99 with Redis up vs memory only:      {up.P99 - baseline.P99:+0.00;-0.00} ms (ratio {up.P99 / baseline.P99:0.00})");
        Console.WriteLine($"provider calls received by the stub: {stub.Requests.Count} (every page view was an L1 miss)");
        return 0;
    }

    private static async Task<Summary> MeasureAsync(AppUnderTest app, string phase, int requests, bool print = true)
    {
        // Warm-up: JIT tiers, connection pools.
        for (var i = 0; i < Math.Min(1000, requests); i++)
        {
            await app.GetAsync($"warm-{phase}-{i}");
        }

        var samples = new double[requests];
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await app.GetAsync($"{phase}-{i}");
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(samples);
        var summary = new Summary(At(samples, 0.50), At(samples, 0.90), At(samples, 0.99), samples[^1]);
        if (print)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{phase,-34} {summary.P50,7:0.00} {summary.P90,7:0.00} {summary.P99,7:0.00} {summary.Max,7:0.00}"));
        }

        return summary;
    }

    private static double At(double[] sorted, double quantile) => sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];

    private readonly record struct Summary(double P50, double P90, double P99, double Max);

    private sealed class AppUnderTest : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _client;

        private AppUnderTest(WebApplication app, Uri address)
        {
            _app = app;
            _client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = address };
        }

        public static async Task<AppUnderTest> StartAsync(StubVendorServer stub, RedisServer? redis)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Configuration["Personalization:Provider"] = "MoEngage";
            builder.Configuration["Personalization:MoEngage:BaseUrl"] = stub.Url.ToString();
            builder.Configuration["Personalization:MoEngage:WorkspaceId"] = "WS";
            builder.Configuration["Personalization:MoEngage:ApiKey"] = "key";
            builder.Configuration["Personalization:Cache:Redis"] = redis?.ConnectionString;
            builder.Services.AddServerSidePersonalization().AddRedis();
            var app = builder.Build();
            app.UseServerSidePersonalization();
            app.MapGet("/hero", async (HttpContext context) =>
                (await context.GetPersonalization().GetExperienceAsync("hero"))?.GetString("Title") ?? "fallback")
                .WithExperiences("hero");
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new AppUnderTest(app, new Uri(address));
        }

        public async Task GetAsync(string visitor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/hero");
            request.Headers.Add("Cookie", $"ssp_vid={visitor}");
            using var response = await _client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            if (await response.Content.ReadAsStringAsync() != "Hello")
            {
                throw new InvalidOperationException("The page rendered its fallback: the measurement would not be of a personalized page.");
            }
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
