using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ServerSidePersonalization.Benchmarks.Comparison;

/// <summary>
/// RESULTS.md: the targets with a verdict each, then the figures they come from. A ratio is a variant's requests/s
/// divided by its baseline's in the same round; the overall ratio is the median of the round ratios.
/// </summary>
internal static class ResultsMarkdown
{
    private const string NotMeasured = "not measured";

    /// <summary>Writes RESULTS.md to <paramref name="output"/> from what <c>compare</c>, <c>memory</c> and <c>micro</c> left in <paramref name="directory"/>.</summary>
    public static int Write(string directory, string commit, string output, int wallSeconds)
    {
        var compareFile = Path.Combine(directory, "compare.json");
        var memoryFile = Path.Combine(directory, "memory.json");
        var report = File.Exists(compareFile) ? JsonSerializer.Deserialize(File.ReadAllText(compareFile), BenchJsonContext.Default.ComparisonReport) : null;
        var memory = File.Exists(memoryFile) ? JsonSerializer.Deserialize(File.ReadAllText(memoryFile), BenchJsonContext.Default.MemoryReport) : null;
        var micro = MicroRow.ReadAll(directory);

        var md = new StringBuilder();
        md.AppendLine("# Benchmark results");
        md.AppendLine();
        md.AppendLine(Invariant($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC at commit `{commit}` on {Environment.ProcessorCount} cores, {CpuModel()}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}."));
        md.AppendLine();
        md.AppendLine(Invariant($"Reproduce with `bash tests/bench.sh` (this run took {wallSeconds / 60} min {wallSeconds % 60} s; it installs wrk and redis-server when missing). Verdicts are reported, not enforced: the script fails only when something broke. Figures from one run on one machine: compare ratios, not absolute numbers, across machines."));
        md.AppendLine();
        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine("| target | figure | verdict |");
        md.AppendLine("|---|---|---|");
        foreach (var (target, figure, met) in Targets(report, memory, micro))
        {
            md.AppendLine(Invariant($"| {target} | {figure} | {(met is null ? NotMeasured : met.Value ? "met" : "**missed**")} |"));
        }

        md.AppendLine();
        md.AppendLine(report is null ? "## Load comparison\n\nnot measured\n" : Comparison(report));
        md.AppendLine("## Memory");
        md.AppendLine();
        md.AppendLine(memory is null
            ? NotMeasured
            : Invariant($"The library's app alone in a process (`memory` mode), one experience fetched for each of {memory.Entries - 1:N0} new visitors through `/api` (plus the one that warmed it): {memory.Entries:N0} L1 entries. Working set after a full, compacting collection: idle {Mb(memory.IdleBytes)}, filled {Mb(memory.FilledBytes)}, **{Mb(memory.FilledBytes - memory.IdleBytes)} above idle** ({(memory.FilledBytes - memory.IdleBytes) / (double)Math.Max(1, memory.Entries - 1):0} bytes per entry)."));
        md.AppendLine();
        md.AppendLine("## Micro-benchmarks");
        md.AppendLine();
        md.AppendLine("BenchmarkDotNet (`micro` mode: `Job.ShortRun` in process, `MemoryDiagnoser`), every class in `Micro/`.");
        md.AppendLine();
        md.AppendLine("| class | method | mean | allocated |");
        md.AppendLine("|---|---|---:|---:|");
        foreach (var row in micro)
        {
            md.AppendLine(Invariant($"| {row.Class} | {row.Method} | {Time(row.MeanNs)} | {row.AllocatedBytes:N0} B |"));
        }

        if (micro.Count == 0)
        {
            md.AppendLine("| | not measured | | |");
        }

        File.WriteAllText(output, md.ToString());
        Console.WriteLine(md.ToString());
        return 0;
    }

    /// <summary>The load comparison's tables, as <c>compare</c> prints them and RESULTS.md holds them.</summary>
    public static string Comparison(ComparisonReport report)
    {
        var md = new StringBuilder();
        md.AppendLine("## Load comparison");
        md.AppendLine();
        md.AppendLine(Invariant($"One process, each variant its own app on real Kestrel (loopback); `wrk -t1 -c{report.Connections} -d{report.RoundSeconds}s --latency` cycling {report.Visitors:N0} valid visitor cookies (no cookie issued while measured), one settling pass over every variant, then {report.Rounds} interleaved rounds, each run after a {report.WarmupSeconds} s warm-up. Ratio: requests/s over the baseline's in the same round; overall: the **median** of the round ratios. p50 and p99: the median of the rounds."));
        md.AppendLine();
        md.AppendLine("| variant | what | req/s per round | p50 ms | p99 ms | ratio per round | overall ratio |");
        md.AppendLine("|---|---|---|---:|---:|---|---:|");
        foreach (var variant in Variant.All)
        {
            md.AppendLine(Row(report, variant.Name, variant.Baseline, variant.What));
        }

        md.AppendLine(Row(report, "l1-wide", "baseline", "l1-wide against the one-experience static page"));
        md.AppendLine();
        var redis = report.Redis;
        md.AppendLine(Invariant($"Redis (`l2`, L1 off so every request is an L1 miss): {redis.PerRequest:0.000} commands per request over {redis.Requests:N0} requests ({string.Join(", ", redis.Commands.Select(c => $"{c.Key} {c.Value:N0}"))}), from `INFO commandstats` before and after each measurement."));
        md.AppendLine();
        var calls = report.VendorCalls;
        md.AppendLine(Invariant($"Vendor calls (`vendor`, MoEngage on a loopback stub, L1 fresh for {calls.WindowSeconds} s, no L2): {calls.Calls:N0} fetches for {calls.DistinctVisitors:N0} visitors over {calls.Requests:N0} requests, **{1000.0 * calls.Calls / calls.Requests:0.00} per 1,000 requests**; at most {calls.MaxCallsPerVisitorPerWindow} per visitor within one {calls.WindowSeconds} s window."));
        md.AppendLine();
        var tracking = report.Tracking;
        md.AppendLine(Invariant($"Tracking (`vendor`, MoEngage events to the stub, default batching): {tracking.Impressions / tracking.Seconds:N0} impressions/s while measured, {tracking.Events:N0} events in {tracking.Posts:N0} POSTs, **{EventsPerPost(tracking):0.0} events per POST**; p99 with tracking on over off, per round: {string.Join(" / ", P99Ratios(report).Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}. The library's tracking counter over the whole run, every app: {tracking.Enqueued:N0} events enqueued, {tracking.Delivered:N0} delivered, {tracking.Dropped:N0} dropped."));
        return md.ToString();
    }

    private static IEnumerable<(string Target, string Figure, bool? Met)> Targets(ComparisonReport? report, MemoryReport? memory, IReadOnlyList<MicroRow> micro)
    {
        (string, string, bool?) Ratio(string variant, string baseline, double atLeast)
        {
            var target = Invariant($"`{variant}` ≥ {atLeast:0.00} × `{baseline}` requests/s");
            if (report is null)
            {
                return (target, NotMeasured, null);
            }

            var ratio = Median(Ratios(report, variant, baseline));
            return (target, Invariant($"{ratio:0.00} ×"), ratio >= atLeast);
        }

        (string, string, bool?) Micro(string type, string method, string what, Func<MicroRow, double> figure, string unit, double atMost)
        {
            var target = Invariant($"{what} ≤ {atMost:0} {unit} (`{type}.{method}`)");
            return micro.FirstOrDefault(r => r.Class == type && r.Method == method) is { } row && !double.IsNaN(figure(row))
                ? (target, Invariant($"{figure(row):0.###} {unit}"), figure(row) <= atMost)
                : (target, NotMeasured, null);
        }

        yield return Ratio("l1", "baseline", 0.90);
        yield return Ratio("l1", "featuremanagement", 1.20);
        yield return Ratio("l1-click", "baseline", 0.85);
        yield return Ratio("l1-wide", "baseline", 0.70);
        yield return Ratio("api", "api-baseline", 0.90);
        yield return Ratio("l1", "naive", 10);
        yield return Ratio("l2", "baseline", 0.70);
        yield return report is null
            ? ("one Redis command per request on an L1 miss (`l2`)", NotMeasured, null)
            : ("one Redis command per request on an L1 miss (`l2`)", Invariant($"{report.Redis.PerRequest:0.000}"), Math.Abs(report.Redis.PerRequest - 1) < 0.01);
        yield return Micro("RequestPathBenchmarks", "L1Hit", "request path on an L1 hit", r => r.MeanNs / 1000, "µs", 2);
        yield return Micro("RequestPathBenchmarks", "L1Hit", "request path on an L1 hit, allocated", r => r.AllocatedBytes, "B", 512);
        yield return Micro("ClickTokenBenchmarks", "Mint", "click token mint", r => r.MeanNs / 1000, "µs", 2);
        if (report is null)
        {
            yield return ("vendor calls ≤ 1 per visitor per freshness window under load", NotMeasured, null);
            yield return ("≥ 50 events per vendor POST at ≥ 1,000 impressions/s", NotMeasured, null);
            yield return ("request p99 with tracking on within 5% of tracking off", NotMeasured, null);
        }
        else
        {
            var calls = report.VendorCalls;
            yield return ("vendor calls ≤ 1 per visitor per freshness window under load",
                Invariant($"at most {calls.MaxCallsPerVisitorPerWindow} per visitor per {calls.WindowSeconds} s; {1000.0 * calls.Calls / calls.Requests:0.00} per 1,000 requests"),
                calls.MaxCallsPerVisitorPerWindow <= 1);
            var tracking = report.Tracking;
            var rate = tracking.Impressions / tracking.Seconds;
            yield return ("≥ 50 events per vendor POST at ≥ 1,000 impressions/s",
                Invariant($"{EventsPerPost(tracking):0.0} events per POST at {rate:N0} impressions/s"),
                EventsPerPost(tracking) >= 50 && rate >= 1000);
            var p99 = Median(P99Ratios(report));
            yield return ("request p99 with tracking on within 5% of tracking off (`vendor` / `vendor-untracked`)", Invariant($"{p99:0.00} ×"), p99 <= 1.05);
        }

        yield return memory is null
            ? ("100,000 cached entries in ≤ 150 MB working set above idle", NotMeasured, null)
            : ("100,000 cached entries in ≤ 150 MB working set above idle", Invariant($"{Mb(memory.FilledBytes - memory.IdleBytes)} for {memory.Entries:N0} entries"), memory.FilledBytes - memory.IdleBytes <= 150L * 1024 * 1024);
    }

    private static string Row(ComparisonReport report, string variant, string baseline, string what)
    {
        var runs = report.Runs.Where(r => r.Variant == variant).OrderBy(r => r.Round).ToList();
        var ratios = Ratios(report, variant, baseline);
        return Invariant($"| {variant} | {what.Replace("<", "&lt;", StringComparison.Ordinal)} | {string.Join(" / ", runs.Select(r => r.RequestsPerSecond.ToString("0", CultureInfo.InvariantCulture)))} | {Median(runs.Select(r => r.P50Ms)):0.00} | {Median(runs.Select(r => r.P99Ms)):0.00} | {string.Join(" / ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))} to {baseline} | {Median(ratios):0.00} |");
    }

    private static List<double> Ratios(ComparisonReport report, string variant, string baseline) =>
        [.. report.Runs.Where(r => r.Variant == variant).OrderBy(r => r.Round)
            .Select(r => r.RequestsPerSecond / report.Runs.First(b => b.Variant == baseline && b.Round == r.Round).RequestsPerSecond)];

    private static List<double> P99Ratios(ComparisonReport report) =>
        [.. report.Runs.Where(r => r.Variant == "vendor").OrderBy(r => r.Round)
            .Select(r => r.P99Ms / report.Runs.First(b => b.Variant == "vendor-untracked" && b.Round == r.Round).P99Ms)];

    private static double EventsPerPost(TrackingFigures tracking) => tracking.Posts == 0 ? 0 : (double)tracking.Events / tracking.Posts;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Time(double ns) => ns >= 1000 ? Invariant($"{ns / 1000:0.000} µs") : Invariant($"{ns:0.0} ns");

    private static string Mb(long bytes) => Invariant($"{bytes / 1048576.0:0.0} MB");

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
