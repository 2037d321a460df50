namespace ServerSidePersonalization.Tracking;

/// <summary>
/// Durable storage of tracking events, one log per destination, read by a group of consumers (one per app instance) so
/// that each event is delivered by one of them (Redis Streams in ServerSidePersonalization.Redis). Every method is one
/// or two round trips and may simply throw: the pipeline falls back to memory, the dispatcher tries again later.
/// </summary>
internal interface ITrackingOutbox
{
    /// <summary>Creates the destination's log and its consumer group when they do not exist yet.</summary>
    Task PrepareAsync(string destination, CancellationToken cancellationToken);

    /// <summary>
    /// Appends one serialized event (<see cref="TrackingEventSerializer"/>) to the destination's log; false, and nothing
    /// written, when the log already holds <see cref="TrackingOptions.QueueCapacity"/> events.
    /// </summary>
    Task<bool> AppendAsync(string destination, byte[] payload, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="count"/> entries for this consumer: first entries another consumer (or this one) read
    /// longer than <see cref="TrackingOptions.ClaimAfter"/> ago without acknowledging them, then new ones.
    /// </summary>
    Task<OutboxBatch> ReadAsync(string destination, int count, CancellationToken cancellationToken);

    /// <summary>Removes entries that are done with (delivered, or rejected for good).</summary>
    Task AcknowledgeAsync(string destination, IReadOnlyList<string> entryIds, CancellationToken cancellationToken);

    /// <summary>
    /// How many events the destination's log holds: not yet delivered, including those read but not acknowledged (0 when
    /// it does not exist yet). Read through <see cref="OutboxBacklog"/>, which caches it.
    /// </summary>
    Task<long> LengthAsync(string destination, CancellationToken cancellationToken);

    /// <summary>Moves an entry to the destination's dead-letter log, with the reason, and removes it from the live one.</summary>
    Task DeadLetterAsync(string destination, OutboxEntry entry, string reason, CancellationToken cancellationToken);
}
