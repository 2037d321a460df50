using System.Collections.Concurrent;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// A tracking destination that sees every event as it is queued (<see cref="Accepts"/> runs inside the request, so a
/// count taken once the response has been read to its end is exact) and as it is delivered.
/// </summary>
internal sealed class RecordingDestination : ITrackingDestination
{
    private readonly ConcurrentQueue<TrackingEvent> _accepted = new();

    public ConcurrentQueue<TrackingEvent> Delivered { get; } = new();

    /// <summary>When set, deliveries wait for it: a vendor that does not answer.</summary>
    public TaskCompletionSource? Gate { get; init; }

    /// <summary>When set, how the destination answers each batch (delivered by default); only delivered batches land in <see cref="Delivered"/>.</summary>
    public Func<IReadOnlyList<TrackingEvent>, DeliveryResult>? Answer { get; init; }

    /// <summary>Every event of every batch sent, each attempt.</summary>
    public ConcurrentQueue<TrackingEvent> Sent { get; } = new();

    public string Name => "TestRecorder";

    public int MaxBatchSize => 100;

    /// <summary>The clicks queued for <paramref name="visitor"/> (by visitor id).</summary>
    public IReadOnlyList<TrackingEvent> AcceptedClicks(string visitor) => Accepted(TrackingEventKind.Click, visitor);

    /// <summary>The impressions queued for <paramref name="visitor"/> (by visitor id).</summary>
    public IReadOnlyList<TrackingEvent> AcceptedImpressions(string visitor) => Accepted(TrackingEventKind.Impression, visitor);

    /// <summary>Every event queued, of any kind, whoever it was for.</summary>
    public IReadOnlyList<TrackingEvent> AllAccepted() => [.. _accepted];

    /// <summary>Every click queued, whoever it was for.</summary>
    public IReadOnlyList<TrackingEvent> AllAcceptedClicks() => [.. _accepted.Where(e => e.Kind == TrackingEventKind.Click)];

    public bool Accepts(TrackingEvent trackingEvent)
    {
        _accepted.Enqueue(trackingEvent);
        Eventually.Notify();
        return true;
    }

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken)
    {
        if (Gate is not null)
        {
            await Gate.Task.WaitAsync(cancellationToken);
        }

        foreach (var trackingEvent in batch)
        {
            Sent.Enqueue(trackingEvent);
        }

        var result = Answer?.Invoke(batch) ?? DeliveryResult.Delivered;
        if (result.Outcome == DeliveryOutcome.Delivered)
        {
            foreach (var trackingEvent in batch)
            {
                Delivered.Enqueue(trackingEvent);
            }
        }

        Eventually.Notify();
        return result;
    }

    private List<TrackingEvent> Accepted(TrackingEventKind kind, string visitor) =>
        [.. _accepted.Where(e => e.Kind == kind && e.Identity.VisitorId == visitor)];
}
