using System.Text.Json.Serialization;

namespace ServerSidePersonalization.Benchmarks.Comparison;

/// <summary>What <c>compare</c> measured, as <c>results</c> reads it back.</summary>
internal sealed record ComparisonReport(
    int Rounds,
    double RoundSeconds,
    double WarmupSeconds,
    int Connections,
    int Visitors,
    IReadOnlyList<VariantRun> Runs,
    RedisFigures Redis,
    VendorCallFigures VendorCalls,
    TrackingFigures Tracking);

/// <summary>One wrk run of one variant in one round.</summary>
internal sealed record VariantRun(string Variant, int Round, double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long SocketErrors);

/// <summary>Redis commands run while <c>l2</c> was measured (INFO commandstats before and after), <c>info</c> itself left out.</summary>
internal sealed record RedisFigures(long Requests, IReadOnlyDictionary<string, long> Commands)
{
    [JsonIgnore]
    public double PerRequest => Requests == 0 ? double.NaN : (double)Commands.Values.Sum() / Requests;
}

/// <summary>The provider calls the stub MoEngage of <c>vendor</c> received over the whole run.</summary>
internal sealed record VendorCallFigures(long Requests, long Calls, int DistinctVisitors, int MaxCallsPerVisitorPerWindow, double WindowSeconds);

/// <summary>
/// The events POSTs the stub MoEngage of <c>vendor</c> received while it was measured, and the library's tracking
/// counter over the whole run, every app (Local and MoEngage destinations).
/// </summary>
internal sealed record TrackingFigures(long Posts, long Events, long Impressions, double Seconds, long Enqueued, long Delivered, long Dropped);

/// <summary>The working set of a process before and after 100,000 L1 entries, each after a full collection.</summary>
internal sealed record MemoryReport(int Entries, long IdleBytes, long FilledBytes);

/// <summary>What the naive page's stub vendor answers.</summary>
internal sealed record HeroAnswer(string Title);
