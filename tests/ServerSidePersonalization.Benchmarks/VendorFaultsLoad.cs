using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Benchmarks;

/// <summary>
/// Every way the MoEngage fetch can fail, 200 page views each (new visitors, so L1 misses), against a healthy baseline:
/// every page must still answer 200 (with the fallback). Each fault gets a fresh app, so its provider breaker starts
/// closed; the fetches that reach the stub show it opening, and the pages that skip the vendor show what a page costs
/// while it is open.
/// </summary>
internal static class VendorFaultsLoad
{
    /// <summary>The provider's default cap; the oversized answer is just above it.</summary>
    private const int MaxResponseBytes = 1024 * 1024;

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Personalization:MoEngage:Timeout"] = "00:00:00.300",
        ["Personalization:MoEngage:HttpTimeout"] = "00:00:02",
        ["Personalization:MoEngage:MaxResponseBytes"] = MaxResponseBytes.ToString(CultureInfo.InvariantCulture),
    };

    private static readonly (string Name, Func<RecordedRequest, StubResponse> Answer)[] Faults =
    [
        ("500", _ => StubResponse.Json("""{"error":"internal"}""", 500)),
        ("429", _ => new StubResponse(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "1" })),
        ("400", _ => StubResponse.Json("""{"error":"bad request"}""", 400)),
        ("401", _ => StubResponse.Json("""{"error":"unauthorized"}""", 401)),
        ("hang", _ => new StubResponse(200, AnswerWhen: StubResponse.Never)),
        ("reset", _ => new StubResponse(200, Writer: Reset)),
        ("malformed JSON", _ => StubResponse.Json("""{"experiences":{"hero":{"payload":{"Title":{"value":"Hel""")),
        ("oversized JSON", _ => new StubResponse(200, Writer: WriteOversizedAsync)),
    ];

    public static async Task<int> RunAsync(int pages)
    {
        await using var stub = await MoEngageAnswers.StartStubAsync();
        Console.WriteLine($"{pages} sequential page views per fault, each a new visitor (an L1 miss); MoEngage Timeout 300 ms, HttpTimeout 2 s; latency in ms");
        Console.WriteLine($"{LatencySummary.Header("fault")} {"non-200",8} {"fallback",8} {"fetches",8} {"skipped",8}");

        LatencySummary before, after;
        await using (var healthy = await AppUnderTest.StartAsync(stub, settings: Settings))
        {
            await MeasureAsync(healthy, stub, "warm-up", 500);
            before = Print("none (baseline, before)", await MeasureAsync(healthy, stub, "before", pages));
            var open = new List<PageView>();
            var failed = 0;
            foreach (var (name, answer) in Faults)
            {
                await using var app = await AppUnderTest.StartAsync(stub, settings: Settings);
                stub.Respond = request => answer(request);
                var run = await MeasureAsync(app, stub, name, pages);
                stub.Respond = MoEngageAnswers.Healthy;
                Print(name, run);
                open.AddRange(run.Skipped);
                failed += run.Views.Count(v => v.Failed);
            }

            after = Print("none (baseline, after)", await MeasureAsync(healthy, stub, "after", pages));
            var baseline = LatencySummary.Mean(before, after);
            var breakerOpen = LatencySummary.Of(open);
            Console.WriteLine();
            Console.WriteLine(breakerOpen.Row("breaker open (all faults)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"breaker open: added p50 {breakerOpen.P50 - baseline.P50:+0.00;-0.00} ms, p99 {breakerOpen.P99 - baseline.P99:+0.00;-0.00} ms per page vs baseline (mean of the two baseline rows; {open.Count} pages that skipped the vendor)"));
            Console.WriteLine($"non-200 answers in all: {failed}");
            return failed == 0 ? 0 : 1;
        }
    }

    /// <summary>Page views by new visitors, each marked by whether its fetch reached the stub (the page views are sequential).</summary>
    private static async Task<FaultRun> MeasureAsync(AppUnderTest app, StubVendorServer stub, string phase, int pages)
    {
        var views = new List<PageView>(pages);
        var skipped = new List<PageView>();
        var fetchesBefore = stub.Requests.Count;
        for (var i = 0; i < pages; i++)
        {
            var fetches = stub.Requests.Count;
            var view = await app.GetAsync($"{phase}-{i}");
            views.Add(view);
            if (stub.Requests.Count == fetches)
            {
                skipped.Add(view);
            }
        }

        return new FaultRun(views, skipped, stub.Requests.Count - fetchesBefore);
    }

    private static LatencySummary Print(string name, FaultRun run)
    {
        var summary = LatencySummary.Of(run.Views);
        Console.WriteLine($"{summary.Row(name)} {run.Views.Count(v => v.Failed),8} {run.Views.Count(v => !v.Failed && !v.Personalized),8} {run.Fetches,8} {run.Skipped.Count,8}");
        return summary;
    }

    private static Task Reset(HttpResponse response)
    {
        response.HttpContext.Abort();
        return Task.CompletedTask;
    }

    /// <summary>A well-formed answer, just longer than the provider takes.</summary>
    private static async Task WriteOversizedAsync(HttpResponse response)
    {
        response.ContentType = "application/json";
        await response.WriteAsync("{\"experiences\":{\"hero\":{\"payload\":{\"Title\":{\"value\":\"", response.HttpContext.RequestAborted);
        var padding = Encoding.UTF8.GetBytes(new string('x', 64 * 1024));
        for (var written = 0; written <= MaxResponseBytes; written += padding.Length)
        {
            await response.Body.WriteAsync(padding, response.HttpContext.RequestAborted);
        }

        await response.WriteAsync("\",\"data_type\":\"string\"}}}}}", response.HttpContext.RequestAborted);
    }

    private sealed record FaultRun(IReadOnlyList<PageView> Views, IReadOnlyList<PageView> Skipped, int Fetches);
}
