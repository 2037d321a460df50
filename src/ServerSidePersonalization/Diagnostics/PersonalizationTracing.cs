namespace ServerSidePersonalization.Diagnostics;

/// <summary>
/// The names under which the library publishes traces, for <c>AddSource</c> and dashboards. Spans are tagged with
/// experience keys, the provider or destination and the outcome; never with an id, an email or anything else about the
/// visitor.
/// </summary>
public static class PersonalizationTracing
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name.</summary>
    public const string ActivitySourceName = "ServerSidePersonalization";

    /// <summary>
    /// Span of one shared cache load (L2, then the provider for what L2 lacked), tagged <see cref="ProviderTag"/>,
    /// <see cref="KeysTag"/> and <see cref="OriginTag"/>.
    /// </summary>
    public const string CacheLoad = "personalization.cache.load";

    /// <summary>Span of one L2 read of a load's keys, tagged <see cref="ProviderTag"/>, <see cref="KeysTag"/> and <see cref="OutcomeTag"/> (hit, partial, miss, unavailable).</summary>
    public const string L2Get = "personalization.cache.l2.get";

    /// <summary>
    /// Span of one provider fetch, tagged <see cref="ProviderTag"/>, <see cref="KeysTag"/> and <see cref="OutcomeTag"/>
    /// (success, partial, failure, timeout, error, skipped, cancelled).
    /// </summary>
    public const string ProviderFetch = "personalization.provider.fetch";

    /// <summary>
    /// Span of one attempt to deliver a batch of tracking events, tagged <see cref="DestinationTag"/>,
    /// <see cref="KeysTag"/>, <see cref="EventsTag"/>, <see cref="AttemptTag"/> and <see cref="OutcomeTag"/> (delivered,
    /// partial, retry, rejected, unauthorized, cancelled).
    /// </summary>
    public const string TrackingDelivery = "personalization.tracking.delivery";

    /// <summary>Tag: the provider's name.</summary>
    public const string ProviderTag = "personalization.provider";

    /// <summary>Tag: the destination's name.</summary>
    public const string DestinationTag = "personalization.destination";

    /// <summary>Tag: the experience keys involved (a string array).</summary>
    public const string KeysTag = "personalization.experience.keys";

    /// <summary>Tag: how the operation ended.</summary>
    public const string OutcomeTag = "personalization.outcome";

    /// <summary>Tag: where a load's answers came from (l2, provider, stale, none; several joined by commas).</summary>
    public const string OriginTag = "personalization.origin";

    /// <summary>Tag: the number of events in a delivery attempt.</summary>
    public const string EventsTag = "personalization.tracking.events";

    /// <summary>Tag: the delivery attempt, from 1.</summary>
    public const string AttemptTag = "personalization.tracking.attempt";
}
