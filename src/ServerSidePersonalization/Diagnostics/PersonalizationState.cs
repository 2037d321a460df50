using System.Collections.Concurrent;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Diagnostics;

/// <summary>
/// What is wrong right now, as the resilience callbacks last reported it: which provider breakers are open, whether L2
/// is unreachable, which destinations are paused, and the tracking queues (and, in durable mode, the outbox) to read
/// backlogs from. The observable gauges and the health check read it; nothing on a request's path waits for it.
/// </summary>
internal sealed class PersonalizationState
{
    private readonly ConcurrentDictionary<string, bool> _providerBreakers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _pausedDestinations = new(StringComparer.Ordinal);
    private volatile bool _l2Known;
    private volatile bool _l2Unreachable;
    private IReadOnlyList<TrackingQueue> _queues = [];
    private OutboxBacklog? _outbox;

    /// <summary>Each provider in use and whether its circuit breaker is open.</summary>
    public IEnumerable<KeyValuePair<string, bool>> ProviderBreakers => _providerBreakers;

    /// <summary>Each destination and whether it is paused because it refused its credentials.</summary>
    public IEnumerable<KeyValuePair<string, bool>> PausedDestinations => _pausedDestinations;

    /// <summary>Whether an L2 store is configured at all.</summary>
    public bool HasL2 => _l2Known;

    /// <summary>Whether the L2 breaker is open (the store failed and is skipped).</summary>
    public bool L2Unreachable => _l2Unreachable;

    /// <summary>The queue of each destination.</summary>
    public IReadOnlyList<TrackingQueue> Queues => Volatile.Read(ref _queues);

    /// <summary>The backlog of the durable outbox, or null when events are kept in memory only.</summary>
    public OutboxBacklog? Outbox => Volatile.Read(ref _outbox);

    public void ProviderBreaker(string provider, bool open) => _providerBreakers[provider] = open;

    public void L2Breaker(bool open)
    {
        _l2Known = true;
        _l2Unreachable = open;
    }

    public bool IsPaused(string destination) => _pausedDestinations.GetValueOrDefault(destination);

    public void DestinationPaused(string destination, bool paused) => _pausedDestinations[destination] = paused;

    public void ObserveQueues(IReadOnlyList<TrackingQueue> queues, OutboxBacklog? outbox)
    {
        Volatile.Write(ref _outbox, outbox);
        Volatile.Write(ref _queues, queues);
    }
}
