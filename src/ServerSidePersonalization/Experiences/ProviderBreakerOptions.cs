using System.ComponentModel.DataAnnotations;

namespace ServerSidePersonalization.Experiences;

/// <summary>
/// The circuit breaker in front of each provider: while a vendor fails, pages skip it at once and render stale entries
/// or their fallback content instead of waiting for it. A fetch fails when it throws, times out, or fails every key.
/// </summary>
public sealed class ProviderBreakerOptions
{
    /// <summary>The share of failed fetches within <see cref="SamplingDuration"/> that opens the breaker. Default 0.5; 0.01 to 1.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>The fewest fetches within <see cref="SamplingDuration"/> before the breaker may open. Default 5; 2 to 1,000.</summary>
    [Range(2, 1000)]
    public int MinimumThroughput { get; set; } = 5;

    /// <summary>The window over which fetches are counted. Default 30 s; 1 s to 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long pages skip the provider once the breaker opened; then one fetch tries it. Default 15 s; 1 s to 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
