using System.ComponentModel.DataAnnotations;

namespace ServerSidePersonalization.Tracking;

/// <summary>How impressions and clicks are queued, batched and delivered.</summary>
public sealed class TrackingOptions
{
    /// <summary>The longest an event waits for its batch to fill before it is sent. Default 1 s; 10 ms to 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most events sent in one batch (a destination may take fewer). Default 100; 1 to 1,000.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// The most events waiting or being delivered, per destination; beyond it new events are dropped and counted
    /// (a request is never slowed). Default 10,000; 1 to 1,000,000.
    /// </summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// The backlog (events waiting or being delivered for one destination) above which the health check reports
    /// Degraded. Default null: 80% of <see cref="QueueCapacity"/>; 1 to 1,000,000, and not above the capacity.
    /// </summary>
    [Range(1, 1_000_000)]
    public int? BacklogWarning { get; set; }

    /// <summary>The backlog warning in effect: <see cref="BacklogWarning"/>, else 80% of the capacity (at least 1).</summary>
    internal int EffectiveBacklogWarning => BacklogWarning ?? Math.Max(1, QueueCapacity / 5 * 4);

    /// <summary>
    /// Keep impressions and clicks in a durable outbox (a Redis Stream per destination, shared by every instance) instead
    /// of memory, so a crash or a deploy loses none: a request waits (at most <see cref="AppendTimeout"/>) until its events
    /// are written, and an event leaves the outbox only once its destination accepted or rejected it. Needs Redis
    /// (<c>Personalization:Cache:Redis</c> and <c>AddRedis()</c>). Conversions stay in memory. Default false. Each
    /// destination is switched on or off by its own <see cref="TrackingDestinationOptions"/>.
    /// </summary>
    public bool Durable { get; set; }

    /// <summary>
    /// How many times a batch is tried before it is dropped and counted. Default 10, which with the default delays
    /// rides out about 4 minutes of vendor outage (at least 3.5); 1 to 30.
    /// </summary>
    [Range(1, 30)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The first retry delay; each later one doubles, with jitter. Default 1 s; 1 ms to 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts, also for a vendor's Retry-After. Default 1 min; 1 ms to 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a destination that refused its credentials (401, 403) waits before it tries again; its events stay
    /// queued meanwhile. Default 5 min; 1 s to 1 h.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AuthFailurePause { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// In durable mode, the longest a request waits for its events to be written to the outbox; an event not written in
    /// time (Redis down or slow) is queued in memory instead, counted and logged. Default 250 ms; 1 ms to 10 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan AppendTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// In durable mode, how long an event read by an instance may stay unacknowledged before any instance claims it and
    /// delivers it again (an instance that died, or a delivery whose retries ran out). Keep it above the time a delivery
    /// with all its retries takes (about 4 min with the defaults), or a slow vendor gets events twice (which it
    /// de-duplicates by event id). Default 5 min; 10 ms to 1 h.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ClaimAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// In durable mode, how many times an event is read for delivery before it is moved to the destination's dead-letter
    /// stream (with one error log) instead of being tried again. Default 5; 1 to 100.
    /// </summary>
    [Range(1, 100)]
    public int MaxDeliveries { get; set; } = 5;
}
