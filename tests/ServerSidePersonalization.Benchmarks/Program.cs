using System.Globalization;
using ServerSidePersonalization.Benchmarks;
using ServerSidePersonalization.Benchmarks.Comparison;

// dotnet run -c Release --project tests/ServerSidePersonalization.Benchmarks -- <mode> [arguments]; tests/load.sh runs
// the load modes, tests/bench.sh the comparison, memory, micro and results modes.
int Count(int fallback) => args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : fallback;
string Arg(int index, string fallback) => args.Length > index ? args[index] : fallback;
var directory = Path.GetFullPath(Arg(1, "bench-results"));

return args.FirstOrDefault() switch
{
    "redis-outage" => await RedisOutageLoad.RunAsync(Count(2000)),
    "redis-restart" => await RedisRestartLoad.RunAsync(Count(2000)),
    "tracking-outage" => await TrackingOutageLoad.RunAsync(),
    "vendor-faults" => await VendorFaultsLoad.RunAsync(Count(200)),
    "compare" => await ComparisonLoad.RunAsync(
        directory,
        rounds: int.Parse(Arg(2, "3"), CultureInfo.InvariantCulture),
        duration: TimeSpan.FromSeconds(int.Parse(Arg(3, "5"), CultureInfo.InvariantCulture)),
        warmup: TimeSpan.FromSeconds(int.Parse(Arg(4, "2"), CultureInfo.InvariantCulture))),
    "memory" => await CacheMemoryLoad.RunAsync(directory),
    "micro" => MicroBenchmarks.Run(directory),
    "results" => ResultsMarkdown.Write(directory, commit: Arg(2, "unknown"), output: Arg(3, "RESULTS.md"), wallSeconds: int.Parse(Arg(4, "0"), CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("""
        usage: ServerSidePersonalization.Benchmarks <mode> [arguments]
          redis-outage [requests]     page latency with Redis up, Redis stopped (breaker open) and memory only; default 2000 per phase
          redis-restart [requests]    Redis killed at 1/3 and started again at 2/3 of a run; 0 failed pages; default 2000
          tracking-outage             20 page views/s for 75 s, events answered 503 for the first 60 s; 0 lost, 0 duplicated
          vendor-faults [pages]       500, 429, 400, 401, hang, reset, malformed and oversized fetch answers; 0 non-200; default 200 each
          compare <dir> [rounds] [seconds] [warm-up seconds]
                                      every variant (baseline, l1, l1-click, l1-wide, l2, api, naive, featuremanagement, vendor)
                                      with wrk, in interleaved rounds; default 3 rounds of 5 s after 2 s; writes <dir>/compare.json
          memory <dir>                working set with 100,000 L1 entries above the idle process; writes <dir>/memory.json
          micro <dir>                 the BenchmarkDotNet classes in Micro/, short job; CSV reports under <dir>/results
          results <dir> <commit> <file> [wall seconds]
                                      writes RESULTS.md (targets and verdicts) from what compare, memory and micro left in <dir>
        exit code 1 when a load mode's acceptance figure fails; the comparison reports verdicts and fails only when something broke
        """);
    return 2;
}
