namespace ServerSidePersonalization.Diagnostics;

/// <summary>The names under which the library publishes metrics, for <c>AddMeter</c> and dashboards.</summary>
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
    /// Counter of provider fetches not made because the provider's circuit breaker is open (it failed recently), tagged
    /// <c>provider</c>: those pages rendered stale entries or their fallback at once.
    /// </summary>
    public const string ProviderSkipped = "personalization.provider.skipped";

    /// <summary>
    /// Counter of tracking events, tagged <c>destination</c>, <c>outcome</c> (delivered, retried, dropped, skipped)
    /// and, for drops, <c>reason</c> (queue_full, rejected, retries_exhausted, shutdown). A retried event is counted
    /// once per extra attempt and later once more as delivered or dropped.
    /// </summary>
    public const string TrackingEvents = "personalization.tracking.events";

    /// <summary>
    /// Counter of tracking pauses, tagged <c>destination</c>: the destination refused its credentials (401, 403), so
    /// it keeps its events and waits <c>Personalization:Tracking:AuthFailurePause</c> before it tries again. One per
    /// outage.
    /// </summary>
    public const string TrackingPauses = "personalization.tracking.pauses";

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
