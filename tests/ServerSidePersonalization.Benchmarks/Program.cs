using System.Globalization;
using ServerSidePersonalization.Benchmarks;

// dotnet run -c Release --project tests/ServerSidePersonalization.Benchmarks -- <mode> [count]; tests/load.sh runs them all.
int Count(int fallback) => args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : fallback;

return args.FirstOrDefault() switch
{
    "redis-outage" => await RedisOutageLoad.RunAsync(Count(2000)),
    "redis-restart" => await RedisRestartLoad.RunAsync(Count(2000)),
    "tracking-outage" => await TrackingOutageLoad.RunAsync(),
    "vendor-faults" => await VendorFaultsLoad.RunAsync(Count(200)),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("""
        usage: ServerSidePersonalization.Benchmarks <mode> [count]
          redis-outage [requests]     page latency with Redis up, Redis stopped (breaker open) and memory only; default 2000 per phase
          redis-restart [requests]    Redis killed at 1/3 and started again at 2/3 of a run; 0 failed pages; default 2000
          tracking-outage             20 page views/s for 75 s, events answered 503 for the first 60 s; 0 lost, 0 duplicated
          vendor-faults [pages]       500, 429, 400, 401, hang, reset, malformed and oversized fetch answers; 0 non-200; default 200 each
        exit code 1 when a mode's acceptance figure fails
        """);
    return 2;
}
