namespace ServerSidePersonalization.Diagnostics;

/// <summary>
/// The names under which the library publishes metrics, for <c>AddMeter</c> and dashboards. No tag holds an id, an email
/// or anything else about the visitor.
/// </summary>
public static class PersonalizationTelemetry
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "ServerSidePersonalization";

    /// <summary>Counter of experience lookups, tagged <c>origin</c> (l1, l2, provider, stale, none) and <c>provider</c>.</summary>
    public const string ExperienceLookups = "personalization.experience.lookups";

    /// <summary>Counter of L2 operations, tagged <c>operation</c> (get, set) and <c>outcome</c> (success, failure, timeout, skipped).</summary>
    public const string L2Operations = "personalization.cache.l2.operations";

    /// <summary>Counter of calls to the provider made by the cache, tagged <c>provider</c>.</summary>
    public const string ProviderCalls = "personalization.provider.calls";

    /// <summary>
    /// Histogram of provider fetch durations in seconds (each attempt through the breaker and attempt timeout), tagged
    /// <c>provider</c> and <c>outcome</c> (success, partial, failure, timeout, error). Fetches skipped by an open breaker
    /// are not measured.
    /// </summary>
    public const string ProviderDuration = "personalization.provider.duration";

    /// <summary>
    /// Counter of failed provider fetches, tagged <c>provider</c> and <c>reason</c>: <c>failed_keys</c> (the provider
    /// answered but some or all keys failed), <c>timeout</c> (the attempt timeout ran out), <c>error</c> (it threw).
    /// </summary>
    public const string ProviderFailures = "personalization.provider.failures";

    /// <summary>Observable gauge of each provider's circuit breaker, tagged <c>provider</c>: 1 while open (or half-open), else 0.</summary>
    public const string ProviderBreakerState = "personalization.provider.breaker.state";

    /// <summary>Observable gauge of the L2 circuit breaker (only when L2 is configured): 1 while L2 is skipped as unreachable, else 0.</summary>
    public const string L2BreakerState = "personalization.cache.l2.breaker.state";

    /// <summary>
    /// Counter of provider fetches not made because the provider's circuit breaker is open (it failed recently), tagged
    /// <c>provider</c>: those pages rendered stale entries or their fallback at once.
    /// </summary>
    public const string ProviderSkipped = "personalization.provider.skipped";

    /// <summary>
    /// Counter of tracking events, tagged <c>destination</c>, <c>outcome</c> (enqueued, delivered, retried, dropped,
    /// skipped, memory_fallback: a durable append failed and the event went to memory) and, for drops and skips,
    /// <c>reason</c> (queue_full, rejected, retries_exhausted, shutdown, dead_lettered, deleted). A retried event is counted
    /// once per extra attempt and later once more as delivered or dropped.
    /// </summary>
    public const string TrackingEvents = "personalization.tracking.events";

    /// <summary>
    /// Counter of tracking pauses, tagged <c>destination</c>: the destination refused its credentials (401, 403), so
    /// it keeps its events and waits <c>Personalization:Tracking:AuthFailurePause</c> before it tries again. One per
    /// outage.
    /// </summary>
    public const string TrackingPauses = "personalization.tracking.pauses";

    /// <summary>Observable gauge of tracking events waiting or being delivered, tagged <c>destination</c>.</summary>
    public const string TrackingQueueLength = "personalization.tracking.queue.length";

    /// <summary>Observable gauge of each destination's pause, tagged <c>destination</c>: 1 while its credentials are refused, else 0.</summary>
    public const string TrackingPaused = "personalization.tracking.paused";

    /// <summary>
    /// Counter of clicks on tracked links opened by a user other than the one the link was rendered for (a shared or
    /// pasted link, another device, a mail scanner): redirected as usual but not reported to any destination.
    /// </summary>
    public const string ForeignClicks = "personalization.clicks.foreign";

    /// <summary>
    /// Counter of requests excluded from tracking, tagged <c>reason</c> (bot, consent, gpc): no cookie was issued and
    /// no event reported for them; bots also got no fetch.
    /// </summary>
    public const string RequestsExcluded = "personalization.requests.excluded";
}
