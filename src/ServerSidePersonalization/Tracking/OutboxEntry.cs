namespace ServerSidePersonalization.Tracking;

/// <summary>One event in the outbox: its entry id, its serialized form, and how many times it has been read for delivery (1 on the first read).</summary>
internal sealed record OutboxEntry(string Id, byte[] Payload, long Deliveries);

/// <summary>What one read of the outbox took: the entries, and how many claimed entries had been trimmed away by the length cap before delivery.</summary>
internal sealed record OutboxBatch(IReadOnlyList<OutboxEntry> Entries, int Trimmed)
{
    public static OutboxBatch Empty { get; } = new([], 0);
}
