namespace ServerSidePersonalization.Tracking;

/// <summary>One event in the outbox: its entry id, its serialized form, and how many times it has been read for delivery (1 on the first read).</summary>
internal sealed record OutboxEntry(string Id, byte[] Payload, long Deliveries);

/// <summary>
/// What one read of the outbox took: the entries, and how many of those it would have claimed were gone from the log
/// (deleted or trimmed by something other than this library) before they were delivered.
/// </summary>
internal sealed record OutboxBatch(IReadOnlyList<OutboxEntry> Entries, int Deleted)
{
    public static OutboxBatch Empty { get; } = new([], 0);
}
