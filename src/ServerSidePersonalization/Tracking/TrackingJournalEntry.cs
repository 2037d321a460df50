namespace ServerSidePersonalization.Tracking;

/// <summary>One event for one destination in the journal: what it was, and what became of it so far.</summary>
/// <param name="EventId">The event id (the same on every attempt).</param>
/// <param name="Kind">Impression, click or conversion.</param>
/// <param name="Subject">The experience key, or the conversion's name.</param>
/// <param name="Destination">The destination it was queued for.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Status">Queued, retrying, delivered or dropped.</param>
/// <param name="Reason">Why it is retried or was dropped; null otherwise.</param>
internal sealed record TrackingJournalEntry(
    Guid EventId, TrackingEventKind Kind, string Subject, string Destination, DateTimeOffset OccurredAt, TrackedEventStatus Status, string? Reason);
