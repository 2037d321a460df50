using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Diagnostics;

namespace ServerSidePersonalization.Tracking;

/// <summary>
/// Hands each event to the queue of every destination that reports it. Never blocks and never throws: an event that
/// does not fit is dropped, counted and (at most every 10 s) logged.
/// </summary>
internal sealed class TrackingPipeline
{
    private readonly TrackingQueue[] _queues;
    private readonly PersonalizationMetrics _metrics;
    private readonly ILogger<TrackingPipeline> _logger;
    private readonly LogThrottle _dropLog;
    private volatile bool _closed;

    public TrackingPipeline(
        IEnumerable<ITrackingDestination> applicationDestinations,
        IEnumerable<TrackingDestinationRegistration> builtIn,
        IServiceProvider services,
        IOptions<PersonalizationOptions> options,
        TimeProvider time,
        PersonalizationMetrics metrics,
        ILogger<TrackingPipeline> logger)
    {
        var capacity = options.Value.Tracking.QueueCapacity;
        _queues = [.. builtIn.Select(r => r.Create(services)).OfType<ITrackingDestination>()
            .Concat(applicationDestinations)
            .Select(d => new TrackingQueue(d, capacity))];
        _metrics = metrics;
        metrics.ObserveQueues(_queues);
        _logger = logger;
        _dropLog = new LogThrottle(time, TimeSpan.FromSeconds(10));
    }

    public IReadOnlyList<TrackingQueue> Queues => _queues;

    public void Enqueue(TrackingEvent trackingEvent)
    {
        foreach (var queue in _queues)
        {
            if (!Accepts(queue.Destination, trackingEvent))
            {
                continue;
            }

            if (queue.TryAdd(trackingEvent))
            {
                _metrics.TrackingEnqueued(queue.Destination.Name);
                continue;
            }

            var reason = _closed ? TrackingDropReason.Shutdown : TrackingDropReason.QueueFull;
            if (_dropLog.ShouldLog(out var suppressed))
            {
                Log.EventDropped(_logger, queue.Destination.Name, reason, queue.Count, suppressed);
            }

            _metrics.TrackingDropped(queue.Destination.Name, reason, 1);
        }
    }

    /// <summary>An application's destination that throws here must not fail the request that tracked the event.</summary>
    private bool Accepts(ITrackingDestination destination, TrackingEvent trackingEvent)
    {
        try
        {
            return destination.Accepts(trackingEvent);
        }
        catch (Exception ex)
        {
            _metrics.TrackingDropped(destination.Name, TrackingDropReason.Rejected, 1);
            Log.AcceptsThrew(_logger, destination.Name, ex);
            return false;
        }
    }

    /// <summary>Stops accepting events; the dispatcher drains what is queued.</summary>
    public void Close()
    {
        _closed = true;
        foreach (var queue in _queues)
        {
            queue.Close();
        }
    }
}
