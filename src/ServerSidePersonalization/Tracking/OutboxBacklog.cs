using System.Collections.Concurrent;

namespace ServerSidePersonalization.Tracking;

/// <summary>
/// How many events each destination's durable outbox holds, for the queue gauge and the health check, which must never
/// wait on Redis for long: a reading is kept and refreshed at most every <see cref="RefreshInterval"/> (on the app's
/// <see cref="TimeProvider"/>), one refresh at a time per destination, each bounded by <see cref="Timeout"/>. A refresh
/// that fails or runs out of time makes the backlog unknown (null) until one succeeds; nothing here throws.
/// </summary>
internal sealed class OutboxBacklog(ITrackingOutbox outbox, TimeProvider time)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Reading> _readings = new(StringComparer.Ordinal);

    /// <summary>The last reading, without waiting (null: unknown, or not read yet); starts a refresh when it is stale.</summary>
    public long? Peek(string destination)
    {
        var reading = _readings.GetOrAdd(destination, static _ => new Reading());
        _ = RefreshIfStale(destination, reading);
        return reading.Length;
    }

    /// <summary>A reading at most <see cref="RefreshInterval"/> old, waiting at most <see cref="Timeout"/> for it; null when unknown.</summary>
    public async Task<long?> ReadAsync(string destination, CancellationToken cancellationToken)
    {
        var reading = _readings.GetOrAdd(destination, static _ => new Reading());
        await RefreshIfStale(destination, reading).WaitAsync(cancellationToken).ConfigureAwait(false);
        return reading.Length;
    }

    private Task RefreshIfStale(string destination, Reading reading)
    {
        lock (reading)
        {
            if (reading.Refresh is { IsCompleted: false } running)
            {
                return running;
            }

            if (reading.ReadAt is { } readAt && time.GetElapsedTime(readAt) < RefreshInterval)
            {
                return Task.CompletedTask;
            }

            // Taken when the refresh starts, so a Redis that fails or hangs is asked at most once per interval too.
            reading.ReadAt = time.GetTimestamp();
            return reading.Refresh = RefreshAsync(destination, reading);
        }
    }

    private async Task RefreshAsync(string destination, Reading reading)
    {
        // Off the caller's thread: a gauge callback or health probe never runs the client's synchronous part.
        await Task.Yield();
        using var timeUp = new CancellationTokenSource(Timeout, time);
        try
        {
            reading.Length = await outbox.LengthAsync(destination, timeUp.Token).WaitAsync(timeUp.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Redis down, slow or failing: the health check already names it; the backlog is unknown until it answers.
            reading.Length = null;
        }
    }

    private sealed class Reading
    {
        private long _length = -1;

        public long? ReadAt { get; set; }

        public Task? Refresh { get; set; }

        public long? Length
        {
            get => Interlocked.Read(ref _length) is var length and >= 0 ? length : null;
            set => Interlocked.Exchange(ref _length, value ?? -1);
        }
    }
}
