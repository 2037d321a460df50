using System.Collections.Concurrent;
using System.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Benchmarks;

/// <summary>
/// Impressions through a real vendor outage, in real time: the app with its default tracking settings reports to a stub
/// MoEngage that answers 503 to every events request for the first 60 s, then accepts them. Page views, each a new
/// visitor with one impression, come at a steady rate for 75 s; then the run waits (5 min at most) until the app has
/// delivered or dropped every impression. Nothing may be lost and MoEngage may not see an event id twice.
/// </summary>
internal static class TrackingOutageLoad
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Production = TimeSpan.FromSeconds(75);
    private static readonly TimeSpan DeliveryDeadline = TimeSpan.FromMinutes(5);
    private const int PagesPerSecond = 20;

    public static async Task<int> RunAsync()
    {
        using var counters = new TrackingCounters();
        await using var stub = await StubVendorServer.StartAsync();
        var accepted = new ConcurrentQueue<string>();
        var refused = 0;
        var clock = Stopwatch.StartNew();
        stub.Respond = request =>
        {
            if (request.Path != MoEngageAnswers.EventsPath)
            {
                return MoEngageAnswers.Experiences(request);
            }

            if (clock.Elapsed < Outage)
            {
                Interlocked.Increment(ref refused);
                return new StubResponse(503);
            }

            foreach (var element in request.Json.GetProperty("elements").EnumerateArray())
            {
                foreach (var action in element.GetProperty("actions").EnumerateArray())
                {
                    accepted.Enqueue(action.GetProperty("moe_event_uuid").GetString()!);
                }
            }

            return MoEngageAnswers.Healthy(request);
        };
        await using var app = await AppUnderTest.StartAsync(stub, settings: new Dictionary<string, string?>
        {
            ["Personalization:Tracking:MoEngage:Enabled"] = "true",
        });

        Console.WriteLine($"{PagesPerSecond} page views/s for {Production.TotalSeconds:0} s, each a new visitor with one MoEngage impression; events answered 503 for the first {Outage.TotalSeconds:0} s");
        clock.Restart();
        var views = new List<(TimeSpan At, PageView View)>();
        var interval = TimeSpan.FromSeconds(1.0 / PagesPerSecond);
        for (var i = 0; interval * i < Production; i++)
        {
            var due = interval * i - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var at = clock.Elapsed;
            views.Add((at, await app.GetAsync($"visitor-{i}")));
        }

        var produced = views.Count(v => v.View.Personalized);
        var deliveredAll = await Eventually.TrueAsync(() => counters["delivered"] + counters["dropped"] >= produced, DeliveryDeadline);
        var settledAt = clock.Elapsed;
        var distinct = accepted.Distinct(StringComparer.Ordinal).Count();
        var duplicates = accepted.Count - distinct;
        var lost = produced - distinct;

        Console.WriteLine();
        Console.WriteLine($"impressions produced:                 {produced} (page views {views.Count}, non-200 {views.Count(v => v.View.Failed)})");
        Console.WriteLine($"distinct moe_event_uuid accepted:     {distinct}");
        Console.WriteLine($"duplicates among accepted:            {duplicates}");
        Console.WriteLine($"lost (produced - accepted):           {lost}");
        Console.WriteLine($"events requests answered 503:         {refused}");
        Console.WriteLine($"metric delivered / retried / dropped: {counters["delivered"]} / {counters["retried"]} / {counters["dropped"]} (skipped {counters["skipped"]})");
        Console.WriteLine(deliveredAll
            ? $"all settled by {settledAt.TotalSeconds:0} s after the first page view ({(settledAt - Outage).TotalSeconds:0} s after the outage ended)"
            : $"NOT all settled within {DeliveryDeadline.TotalMinutes:0} min of the last page view");
        Console.WriteLine();
        Console.WriteLine(LatencySummary.Header());
        Console.WriteLine(LatencySummary.Of(views.Where(v => v.At < Outage).Select(v => v.View)).Row("pages during the outage"));
        Console.WriteLine(LatencySummary.Of(views.Where(v => v.At >= Outage).Select(v => v.View)).Row("pages after it"));
        return lost == 0 && duplicates == 0 && deliveredAll ? 0 : 1;
    }
}
