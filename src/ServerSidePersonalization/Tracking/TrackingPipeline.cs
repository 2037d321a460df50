using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ServerSidePersonalization.Diagnostics;

namespace ServerSidePersonalization.Tracking;

/// <summary>
/// Hands each event to every destination that reports it: to its in-memory queue, or in durable mode to its outbox.
/// Never throws and never blocks: an event that does not fit (<see cref="TrackingOptions.QueueCapacity"/>, in memory or
/// in the outbox) is dropped, counted and (at most every 10 s) logged. A durable append is bounded by <see cref="TrackingOptions.AppendTimeout"/> and guarded by a circuit breaker,
/// so while Redis is down requests pay nothing; an event not written in time goes to the memory queue instead. A late
/// write may still land after that, so the event can exist in both: delivered twice with one id, which vendors
/// de-duplicate.
/// </summary>
internal sealed class TrackingPipeline
{
    private readonly TrackingQueue[] _queues;
    private readonly PersonalizationMetrics _metrics;
    private readonly ILogger<TrackingPipeline> _logger;
    private readonly LogThrottle _dropLog;
    private readonly LogThrottle _fallbackLog;
    private readonly ResiliencePipeline _appendGuard;
    private readonly TrackingJournal? _journal;
    private volatile bool _closed;

    public TrackingPipeline(
        IEnumerable<ITrackingDestination> applicationDestinations,
        IEnumerable<TrackingDestinationRegistration> builtIn,
        IServiceProvider services,
        IOptions<PersonalizationOptions> options,
        TimeProvider time,
        PersonalizationMetrics metrics,
        ILogger<TrackingPipeline> logger,
        TrackingOutboxFactory? outbox = null,
        TrackingJournal? journal = null)
    {
        _journal = journal;
        var tracking = options.Value.Tracking;
        Capacity = tracking.QueueCapacity;
        _queues = [.. builtIn.Select(r => r.Create(services)).OfType<ITrackingDestination>()
            .Concat(applicationDestinations)
            .Select(d => new TrackingQueue(d, tracking.QueueCapacity))];
        _metrics = metrics;
        metrics.ObserveQueues(_queues);
        _logger = logger;
        _dropLog = new LogThrottle(time, TimeSpan.FromSeconds(10));
        _fallbackLog = new LogThrottle(time, TimeSpan.FromSeconds(10));

        // The validator makes sure a durable pipeline has an outbox.
        Outbox = tracking.Durable ? outbox?.Create(services) : null;
        _appendGuard = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = TimeSpan.FromSeconds(5),
            })
            .AddTimeout(tracking.AppendTimeout)
            .Build();
    }

    public IReadOnlyList<TrackingQueue> Queues => _queues;

    private int Capacity { get; }

    /// <summary>The durable outbox, or null when events are kept in memory only.</summary>
    public ITrackingOutbox? Outbox { get; }

    /// <summary>
    /// Queues the event for every destination that reports it. The task completes once it is written to the outbox (or,
    /// failing that, queued in memory); it is already complete when nothing was written to an outbox. It never faults.
    /// </summary>
    public Task EnqueueAsync(TrackingEvent trackingEvent)
    {
        byte[]? payload = null;
        List<Task>? appends = null;
        foreach (var queue in _queues)
        {
            if (!Accepts(queue.Destination, trackingEvent))
            {
                continue;
            }

            payload ??= Outbox is null ? null : TrackingEventSerializer.Serialize(trackingEvent);
            if (payload is not null)
            {
                (appends ??= []).Add(AppendAsync(queue, trackingEvent, payload));
            }
            else
            {
                AddToMemory(queue, trackingEvent);
            }
        }

        return appends switch
        {
            null => Task.CompletedTask,
            [var single] => single,
            _ => Task.WhenAll(appends),
        };
    }

    private async Task AppendAsync(TrackingQueue queue, TrackingEvent trackingEvent, byte[] payload)
    {
        try
        {
            var appended = await _appendGuard.ExecuteAsync(
                static async (state, cancellationToken) =>
                    await state.Outbox.AppendAsync(state.Destination, state.Payload, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false),
                (Outbox: Outbox!, Destination: queue.Destination.Name, Payload: payload)).ConfigureAwait(false);
            if (appended)
            {
                _metrics.TrackingEnqueued(queue.Destination.Name);
                _journal?.Queued(queue.Destination.Name, trackingEvent);
                queue.Appended();
            }
            else
            {
                // Full: the vendor has been away for long. Like the memory queue, the newest event is the one dropped.
                Dropped(queue, trackingEvent, TrackingDropReason.QueueFull, Capacity);
            }

            return;
        }
        catch (Exception ex)
        {
            if (_fallbackLog.ShouldLog(out var suppressed))
            {
                var reason = ex switch
                {
                    BrokenCircuitException => "the outbox failed recently and is skipped for a few seconds",
                    TimeoutRejectedException => "timed out",
                    _ => ex.GetType().Name,
                };
                Log.OutboxAppendFailed(_logger, queue.Destination.Name, reason, suppressed);
            }

            _metrics.TrackingFellBack(queue.Destination.Name);
        }

        AddToMemory(queue, trackingEvent);
    }

    private void AddToMemory(TrackingQueue queue, TrackingEvent trackingEvent)
    {
        // Journaled before it is added: the dispatcher may settle it as soon as it is in the queue.
        _journal?.Queued(queue.Destination.Name, trackingEvent);
        if (queue.TryAdd(trackingEvent))
        {
            _metrics.TrackingEnqueued(queue.Destination.Name);
        }
        else
        {
            Dropped(queue, trackingEvent, _closed ? TrackingDropReason.Shutdown : TrackingDropReason.QueueFull, queue.Count);
        }
    }

    private void Dropped(TrackingQueue queue, TrackingEvent trackingEvent, string reason, int queued)
    {
        _journal?.Settled(queue.Destination.Name, [trackingEvent], TrackedEventStatus.Dropped, reason);
        if (_dropLog.ShouldLog(out var suppressed))
        {
            Log.EventDropped(_logger, queue.Destination.Name, reason, queued, suppressed);
        }

        _metrics.TrackingDropped(queue.Destination.Name, reason, 1);
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
