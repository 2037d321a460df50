using System.ComponentModel.DataAnnotations;

namespace ServerSidePersonalization.Caching;

/// <summary>
/// The per-user experience cache: L1 in memory (always on), L2 in a distributed store such as Redis (optional), and
/// fail-safe answers from stale entries while the provider is failing.
/// </summary>
public sealed class CacheOptions
{
    /// <summary>How long an entry is fresh in L1. Default 30 s; 0 to 1 h (0 turns L1 freshness off).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MemoryTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an entry is fresh in L2, varied by ±<see cref="DistributedTtlJitter"/>. Default 10 min; 1 s to 1 day.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DistributedTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The share by which each L2 lifetime is varied, so entries written together do not expire together. Default 0.1; 0 to 0.5.</summary>
    [Range(0.0, 0.5)]
    public double DistributedTtlJitter { get; set; } = 0.1;

    /// <summary>
    /// How long after its fetch a stale entry may still be served when the provider fails or is too slow; entries
    /// are kept (in L1 and L2) this long. Default 1 h; 0 (no fail-safe) to 1 day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan FailSafeMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>While a stale entry is being served, how often the provider is tried again for it. Default 30 s; 1 s to 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FailSafeRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A StackExchange.Redis connection string for L2 (used by <c>.AddRedis()</c> from the
    /// ServerSidePersonalization.Redis package). Empty: memory only.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>How long one L2 read or write may take before it is given up. Default 100 ms; 10 ms to 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05")]
    public TimeSpan DistributedTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Once an L2 call fails (with at least two calls made within 10 s), how long L2 is skipped before one call tries
    /// it again. Default 5 s; 500 ms to 5 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:05:00")]
    public TimeSpan DistributedBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most entries L1 holds (each experience of each user is one). Default 100,000; 100 to 10,000,000.</summary>
    [Range(100, 10_000_000)]
    public long MemorySizeLimit { get; set; } = 100_000;

    /// <summary>
    /// Keep L1 entries in the application's <c>IMemoryCache</c> instead of a private one; every entry has a size of
    /// 1, so a shared cache with a <c>SizeLimit</c> keeps working. Default false.
    /// </summary>
    public bool UseSharedMemoryCache { get; set; }
}
