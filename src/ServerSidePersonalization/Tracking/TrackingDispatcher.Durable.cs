using ServerSidePersonalization.Diagnostics;

namespace ServerSidePersonalization.Tracking;

/// <summary>
/// The outbox loop of a destination, in durable mode. Redis has no blocking read that StackExchange.Redis can use, so
/// it polls every flush interval, and sooner when this process appended. Each read takes entries that another instance
/// (or this one) left unacknowledged for <see cref="TrackingOptions.ClaimAfter"/>, then new ones; they go through the
/// same pipeline and settlement as memory batches. Delivered and rejected entries are acknowledged and removed; those
/// the retries could not deliver stay pending, to be claimed again; an entry read more than
/// <see cref="TrackingOptions.MaxDeliveries"/> times, or unreadable, goes to the dead-letter stream. On shutdown the
/// loop finishes its batch and stops: what is left stays in the outbox for the next instance.
/// </summary>
internal sealed partial class TrackingDispatcher
{
    private async Task RunDurableAsync(ITrackingOutbox outbox, TrackingQueue queue, Lane lane)
    {
        var name = queue.Destination.Name;
        var batchSize = BatchSize(queue.Destination);
        var failures = new LogThrottle(_time, TimeSpan.FromMinutes(1));
        var prepared = false;

        // Preparing and reading stop at shutdown (nothing is lost: an entry read but not delivered is claimed later);
        // acknowledging and dead-lettering only when the shutdown timeout runs out.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(_drain.Token, _abort.Token);
        try
        {
            while (!_drain.IsCancellationRequested)
            {
                try
                {
                    if (!prepared)
                    {
                        await outbox.PrepareAsync(name, reading.Token).ConfigureAwait(false);
                        prepared = true;
                    }

                    var entries = await ReadBatchAsync(outbox, queue, batchSize, reading.Token).ConfigureAwait(false);
                    if (entries.Count > 0)
                    {
                        await DeliverEntriesAsync(outbox, lane, entries).ConfigureAwait(false);
                        continue;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !reading.IsCancellationRequested)
                {
                    // Redis down or failing: nothing is lost (unacknowledged entries stay pending); look again later.
                    // While draining too: an acknowledgement that fails at shutdown leaves its entry pending for another
                    // instance to claim, and must not fail the host's stop.
                    if (failures.ShouldLog(out var suppressed))
                    {
                        Log.OutboxUnavailable(_logger, name, _options.FlushInterval.TotalSeconds, suppressed, ex);
                    }
                }

                await WaitForAppendAsync(queue, _options.FlushInterval).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (reading.IsCancellationRequested)
        {
            // Shutdown: a batch in hand when the timeout ran out stays pending in the outbox and is claimed later.
        }
    }

    /// <summary>Reads until the batch is full, or the flush interval since the first entry has passed, or shutdown began.</summary>
    private async Task<List<OutboxEntry>> ReadBatchAsync(ITrackingOutbox outbox, TrackingQueue queue, int batchSize, CancellationToken cancellationToken)
    {
        var name = queue.Destination.Name;
        var batch = new List<OutboxEntry>(batchSize);
        var started = _time.GetTimestamp();
        while (true)
        {
            OutboxBatch read;
            try
            {
                read = await outbox.ReadAsync(name, batchSize - batch.Count, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (batch.Count > 0 && !_abort.IsCancellationRequested)
            {
                // Shutdown began while topping up a batch: deliver what is in hand.
                return batch;
            }

            if (read.Deleted > 0)
            {
                Log.OutboxEntriesDeleted(_logger, read.Deleted, name);
                _metrics.TrackingDropped(name, TrackingDropReason.Deleted, read.Deleted);
            }

            batch.AddRange(read.Entries);
            if (batch.Count == 0 || batch.Count >= batchSize || _drain.IsCancellationRequested)
            {
                return batch;
            }

            var wait = _options.FlushInterval - _time.GetElapsedTime(started);
            if (wait <= TimeSpan.Zero || !await WaitForAppendAsync(queue, wait).ConfigureAwait(false))
            {
                return batch;
            }
        }
    }

    /// <summary>True when this process appended within <paramref name="wait"/>; false when the time ran out or shutdown began.</summary>
    private async Task<bool> WaitForAppendAsync(TrackingQueue queue, TimeSpan wait)
    {
        using var timeUp = new CancellationTokenSource(wait, _time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(timeUp.Token, _drain.Token, _abort.Token);
        return await queue.WaitForAppendAsync(waiting.Token).ConfigureAwait(false);
    }

    private async Task DeliverEntriesAsync(ITrackingOutbox outbox, Lane lane, List<OutboxEntry> entries)
    {
        var name = lane.Destination.Name;
        var events = new List<TrackingEvent>(entries.Count);
        var entryIds = new Dictionary<TrackingEvent, string>(ReferenceEqualityComparer.Instance);
        foreach (var entry in entries)
        {
            if (entry.Deliveries > _options.MaxDeliveries)
            {
                await DeadLetterAsync(outbox, name, entry, $"read {entry.Deliveries - 1} times without being delivered; Personalization:Tracking:MaxDeliveries is {_options.MaxDeliveries}").ConfigureAwait(false);
            }
            else if (TrackingEventSerializer.Deserialize(entry.Payload) is { } trackingEvent)
            {
                events.Add(trackingEvent);
                entryIds[trackingEvent] = entry.Id;
            }
            else
            {
                await DeadLetterAsync(outbox, name, entry, "not a tracking event this version can read").ConfigureAwait(false);
            }
        }

        if (events.Count == 0)
        {
            return;
        }

        var delivery = await DeliverAsync(lane, events).ConfigureAwait(false);
        var kept = new HashSet<TrackingEvent>(delivery.Pending, ReferenceEqualityComparer.Instance);
        List<string> done = [.. events.Where(e => !kept.Contains(e)).Select(e => entryIds[e])];
        if (done.Count > 0)
        {
            await outbox.AcknowledgeAsync(name, done, _abort.Token).ConfigureAwait(false);
        }

        if (kept.Count > 0)
        {
            Log.OutboxKeptPending(_logger, kept.Count, name, delivery.Attempts, delivery.Last.Reason, _options.ClaimAfter.TotalSeconds);
        }
    }

    private async Task DeadLetterAsync(ITrackingOutbox outbox, string destination, OutboxEntry entry, string reason)
    {
        await outbox.DeadLetterAsync(destination, entry, reason, _abort.Token).ConfigureAwait(false);
        Log.OutboxDeadLettered(_logger, entry.Id, destination, reason);
        _metrics.TrackingDropped(destination, TrackingDropReason.DeadLettered, 1);
    }
}
