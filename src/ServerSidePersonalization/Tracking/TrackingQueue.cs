using System.Threading.Channels;

namespace ServerSidePersonalization.Tracking;

/// <summary>
/// The events waiting for one destination. Capacity counts events queued and events being delivered, so a stalled
/// destination holds at most <see cref="TrackingOptions.QueueCapacity"/> events whatever the timing; adding never
/// blocks.
/// </summary>
internal sealed class TrackingQueue(ITrackingDestination destination, int capacity)
{
    private readonly Channel<TrackingEvent> _channel = Channel.CreateUnbounded<TrackingEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    // Durable mode: set when this process appended to the destination's outbox, so its reader looks before the next poll.
    private readonly Channel<bool> _appended = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true, SingleWriter = false });

    private int _count;

    public ITrackingDestination Destination => destination;

    public int Count => Volatile.Read(ref _count);

    public ChannelReader<TrackingEvent> Reader => _channel.Reader;

    /// <summary>False when the queue is full or closed; the caller counts the drop.</summary>
    public bool TryAdd(TrackingEvent trackingEvent)
    {
        if (Interlocked.Increment(ref _count) > capacity || !_channel.Writer.TryWrite(trackingEvent))
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        return true;
    }

    /// <summary>Called once the events of a batch are delivered or dropped.</summary>
    public void Release(int events) => Interlocked.Add(ref _count, -events);

    public void Close() => _channel.Writer.TryComplete();

    /// <summary>Durable mode: an event for this destination was written to the outbox by this process.</summary>
    public void Appended() => _appended.Writer.TryWrite(true);

    /// <summary>Durable mode: waits until <see cref="Appended"/> was called (since the last wait) or the token fires; true when it was.</summary>
    public async Task<bool> WaitForAppendAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _appended.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
