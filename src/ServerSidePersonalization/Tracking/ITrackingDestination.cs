namespace ServerSidePersonalization.Tracking;

/// <summary>
/// A place tracking events are reported to (a vendor's API, a local file). The dispatcher batches events for it,
/// retries what it asks to retry and counts what it rejects; a destination only speaks its wire format.
/// </summary>
public interface ITrackingDestination
{
    /// <summary>A short name for logs and metrics, such as <c>MoEngage</c>.</summary>
    string Name { get; }

    /// <summary>The most events the destination takes in one <see cref="SendAsync"/>.</summary>
    int MaxBatchSize { get; }

    /// <summary>Whether this destination reports <paramref name="trackingEvent"/> (for example, by its attribution's vendor).</summary>
    bool Accepts(TrackingEvent trackingEvent);

    /// <summary>
    /// Delivers a batch; network problems may be thrown and are retried like <see cref="DeliveryResult.Retry"/>. A
    /// destination that can tell which events failed answers <see cref="DeliveryResult.Partial"/>.
    /// </summary>
    Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken);
}
