using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Caching;

namespace ServerSidePersonalization.Benchmarks.Comparison;

/// <summary>
/// What 100,000 L1 entries cost: the working set of this process with the library's app started and warmed, then after
/// 100,000 visitors have each fetched one experience, both read after a full, compacting collection. A process of its
/// own, so that nothing else measured here is in it.
/// </summary>
internal static class CacheMemoryLoad
{
    public const int Entries = 100_000;

    public static async Task<int> RunAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var settings = BenchApps.Local(BenchApps.WriteExperiences(directory));
        settings["Personalization:Cache:MemorySizeLimit"] = "1000000";
        // The cache alone: the Local destination's record of events would be counted too.
        settings["Personalization:Tracking:Local:Enabled"] = "false";
        var (app, url) = await BenchApps.StartPersonalizedAsync(settings);
        await using var _ = app;
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = url };

        for (var i = 0; i < 200; i++)
        {
            await GetAsync(client, Visitors.Id(0), CancellationToken.None);
        }

        var idle = WorkingSet();
        await Parallel.ForAsync(1, Entries + 1, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
            await GetAsync(client, Visitors.Id(i), token));
        var entries = app.Services.GetRequiredService<L1Cache>().Count;
        var filled = WorkingSet();

        var report = new MemoryReport(entries, idle, filled);
        await File.WriteAllTextAsync(Path.Combine(directory, "memory.json"), JsonSerializer.Serialize(report, BenchJsonContext.Default.MemoryReport));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"L1 entries {entries:N0}; working set idle {idle / 1048576.0:0.0} MB, filled {filled / 1048576.0:0.0} MB, above idle {(filled - idle) / 1048576.0:0.0} MB ({(double)(filled - idle) / Math.Max(1, entries - 1):0} B per entry)"));
        return 0;
    }

    private static async Task GetAsync(HttpClient client, string visitor, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api");
        request.Headers.Add("Cookie", $"{Visitors.CookieName}={visitor}");
        request.Headers.TryAddWithoutValidation("User-Agent", Visitors.BrowserUserAgent);
        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || !body.Contains("Hello", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"/api answered {(int)response.StatusCode}: {body}");
        }
    }

    private static long WorkingSet()
    {
        // Aggressive: the collector also gives back the memory it no longer needs, so the figure is what the data holds.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
