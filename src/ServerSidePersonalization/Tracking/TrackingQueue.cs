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
}
