using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Benchmarks.Comparison;

/// <summary>
/// The load comparison: every <see cref="Variant"/> served by one process (separate apps on separate loopback ports),
/// measured in turn with wrk after a warm-up, in interleaved rounds so that drift shows as a difference between rounds.
/// Also counts what the pages cost elsewhere: provider calls, Redis commands and events per tracking POST.
/// </summary>
internal static class ComparisonLoad
{
    public const int Connections = 32;

    public static async Task<int> RunAsync(string directory, int rounds, TimeSpan duration, TimeSpan warmup)
    {
        Directory.CreateDirectory(directory);
        var script = Visitors.WriteScript(directory);
        var experiences = BenchApps.WriteExperiences(directory);

        using var trackingCounters = new TrackingCounters();
        await using var naiveVendor = await StubVendorServer.StartAsync();
        naiveVendor.Respond = _ => new StubResponse(200, """{"title":"Hello"}""", AnswerWhen: Task.Delay(20));
        var vendorLog = new VendorLog();
        await using var vendor = await StubVendorServer.StartAsync();
        vendor.Respond = vendorLog.Answer;
        await using var untrackedVendor = await MoEngageAnswers.StartStubAsync();
        await using var redis = await RedisServer.StartAsync();

        var l2 = BenchApps.Local(experiences);
        l2["Personalization:Cache:Redis"] = redis.ConnectionString;
        l2["Personalization:Cache:MemoryTtl"] = "00:00:00";
        l2["Personalization:Cache:DistributedTtl"] = "01:00:00";

        var apps = new List<WebApplication>();
        async Task<Uri> Start(Task<(WebApplication App, Uri Url)> starting)
        {
            var (app, url) = await starting;
            apps.Add(app);
            return url;
        }

        try
        {
            var plain = await Start(BenchApps.StartPlainAsync(naiveVendor.Url));
            var local = await Start(BenchApps.StartPersonalizedAsync(BenchApps.Local(experiences)));
            var redisBacked = await Start(BenchApps.StartPersonalizedAsync(l2));
            var tracked = await Start(BenchApps.StartPersonalizedAsync(MoEngage(vendor.Url, tracking: true)));
            var untracked = await Start(BenchApps.StartPersonalizedAsync(MoEngage(untrackedVendor.Url, tracking: false)));
            var urls = new Dictionary<string, Uri>(StringComparer.Ordinal)
            {
                ["baseline"] = new(plain, "/baseline"),
                ["baseline-wide"] = new(plain, "/baseline-wide"),
                ["api-baseline"] = new(plain, "/api-baseline"),
                ["naive"] = new(plain, "/naive"),
                ["featuremanagement"] = new(plain, "/featuremanagement"),
                ["l1"] = new(local, "/l1"),
                ["l1-click"] = new(local, "/l1-click"),
                ["l1-wide"] = new(local, "/l1-wide"),
                ["api"] = new(local, "/api"),
                ["l2"] = new(redisBacked, "/l1"),
                ["vendor"] = new(tracked, "/l1"),
                ["vendor-untracked"] = new(untracked, "/l1"),
            };

            foreach (var variant in Variant.All)
            {
                await ProbeAsync(variant, urls[variant.Name]);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrk -t1 -c{Connections} -d{duration.TotalSeconds}s --latency, {Visitors.Count} visitor cookies; {rounds} rounds after a settling pass, each variant after a {warmup.TotalSeconds} s warm-up"));
            Console.WriteLine($"{"round",5} {"variant",-18} {"req/s",9} {"p50 ms",7} {"p99 ms",7} {"ratio",6}  to");

            var runs = new List<VariantRun>();
            var vendorRequests = 1L;

            // One pass over every variant first, so that JIT tiering and pools have settled before round 1, not in it.
            foreach (var variant in Variant.All)
            {
                var settling = await Wrk.RunAsync(urls[variant.Name], script, Connections, duration);
                vendorRequests += variant.Name == "vendor" ? settling.Requests : 0;
            }

            var redisRequests = 0L;
            var redisCommands = new Dictionary<string, long>(StringComparer.Ordinal);
            long posts = 0, events = 0, impressions = 0;
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var variant in Variant.All)
                {
                    var url = urls[variant.Name];
                    var warm = await Wrk.RunAsync(url, script, Connections, warmup);
                    var statsBefore = variant.Name == "l2" ? await CommandStatsAsync(redis) : null;
                    var (postsBefore, eventsBefore) = (vendorLog.Posts, vendorLog.Events);

                    var run = await Wrk.RunAsync(url, script, Connections, duration);

                    if (statsBefore is not null)
                    {
                        redisRequests += run.Requests;
                        foreach (var (command, calls) in await CommandStatsAsync(redis))
                        {
                            var delta = calls - statsBefore.GetValueOrDefault(command);
                            if (command != "info" && delta > 0)
                            {
                                redisCommands[command] = redisCommands.GetValueOrDefault(command) + delta;
                            }
                        }
                    }

                    if (variant.Name == "vendor")
                    {
                        vendorRequests += warm.Requests + run.Requests;
                        posts += vendorLog.Posts - postsBefore;
                        events += vendorLog.Events - eventsBefore;
                        impressions += run.Requests;
                    }

                    runs.Add(new VariantRun(variant.Name, round, run.RequestsPerSecond, run.P50Ms, run.P99Ms, run.Requests, run.SocketErrors));
                    var baseline = runs.Find(r => r.Round == round && r.Variant == variant.Baseline);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{round,5} {variant.Name,-18} {run.RequestsPerSecond,9:0} {run.P50Ms,7:0.00} {run.P99Ms,7:0.00} {run.RequestsPerSecond / baseline!.RequestsPerSecond,6:0.00}  {variant.Baseline}"));
                }
            }

            var window = new CacheOptions().MemoryTtl;
            var report = new ComparisonReport(
                rounds,
                duration.TotalSeconds,
                warmup.TotalSeconds,
                Connections,
                Visitors.Count,
                runs,
                new RedisFigures(redisRequests, redisCommands),
                new VendorCallFigures(vendorRequests, vendorLog.Calls, vendorLog.DistinctVisitors(), vendorLog.MaxCallsPerVisitorPerWindow(window), window.TotalSeconds),
                new TrackingFigures(posts, events, impressions, duration.TotalSeconds * rounds, trackingCounters["enqueued"], trackingCounters["delivered"], trackingCounters["dropped"]));
            await File.WriteAllTextAsync(Path.Combine(directory, "compare.json"), JsonSerializer.Serialize(report, BenchJsonContext.Default.ComparisonReport));
            Console.WriteLine();
            Console.WriteLine(ResultsMarkdown.Comparison(report));
            return 0;
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    private static Dictionary<string, string?> MoEngage(Uri stub, bool tracking) => new()
    {
        ["Personalization:Provider"] = "MoEngage",
        ["Personalization:MoEngage:BaseUrl"] = stub.ToString(),
        ["Personalization:MoEngage:WorkspaceId"] = "WS",
        ["Personalization:MoEngage:ApiKey"] = "key",
        ["Personalization:Tracking:MoEngage:Enabled"] = tracking ? "true" : "false",
    };

    /// <summary>
    /// One request as wrk will send it, checked before anything is measured: 200, the personalized text, tracked links
    /// where the page has them, and no cookie issued (the visitor ids are valid, so every variant serves known visitors).
    /// </summary>
    private static async Task ProbeAsync(Variant variant, Uri url)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", $"{Visitors.CookieName}={Visitors.Id(0)}");
        request.Headers.TryAddWithoutValidation("User-Agent", Visitors.BrowserUserAgent);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var tracksClicks = variant.Name is "l1-click" or "l1-wide";
        if (!response.IsSuccessStatusCode
            || !body.Contains("Hello", StringComparison.OrdinalIgnoreCase)
            || response.Headers.Contains("Set-Cookie")
            || tracksClicks != body.Contains("/_personalization/click", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"{variant.Name} ({url}) answered {(int)response.StatusCode}, Set-Cookie: {response.Headers.Contains("Set-Cookie")}, a body that is not the page measured:\n{body}");
        }
    }

    /// <summary>Calls per command since the server started, from <c>INFO commandstats</c>.</summary>
    private static async Task<Dictionary<string, long>> CommandStatsAsync(RedisServer redis) =>
        (await redis.CliAsync("INFO", "commandstats"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("cmdstat_", StringComparison.Ordinal))
            .ToDictionary(
                line => line["cmdstat_".Length..line.IndexOf(':', StringComparison.Ordinal)],
                line => long.Parse(line.Split("calls=")[1].Split(',')[0], CultureInfo.InvariantCulture),
                StringComparer.Ordinal);
}
