using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Testing;

/// <summary>
/// A destination that records every event as it is queued, inside the request that tracked it, so a test reads it as
/// soon as it has read the response; it takes none for delivery, so nothing goes anywhere.
/// </summary>
internal sealed class TrackingRecorder : ITrackingDestination
{
    private readonly List<TrackingEvent> _events = [];

    public string Name => "TestingRecorder";

    public int MaxBatchSize => 1;

    public IReadOnlyList<TrackingEvent> Recorded(TrackingEventKind kind)
    {
        lock (_events)
        {
            return [.. _events.Where(e => e.Kind == kind)];
        }
    }

    public bool Accepts(TrackingEvent trackingEvent)
    {
        lock (_events)
        {
            _events.Add(trackingEvent);
        }

        return false;
    }

    public Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken) =>
        Task.FromResult(DeliveryResult.Delivered);
}
