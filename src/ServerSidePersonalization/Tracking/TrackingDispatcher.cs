using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using ServerSidePersonalization.Diagnostics;

namespace ServerSidePersonalization.Tracking;

/// <summary>
/// One background loop per destination: fill a batch (up to the batch size, or whatever arrived within the flush
/// interval), deliver it through the destination's Polly pipeline (transient failures retried with exponential backoff
/// and jitter, or after the vendor's Retry-After), drop and count what is rejected or never gets through, and pause a
/// destination whose credentials are refused, keeping its events. A destination may report a batch as partly delivered: then
/// only the events it refused are dropped and only those it could not deliver yet are retried. On shutdown the queues
/// are closed and drained until the host's shutdown timeout; whatever is left then is counted and logged. In durable
/// mode a second loop per destination delivers from the outbox (see TrackingDispatcher.Durable.cs) through the same
/// pipeline and settlement; the memory loop then carries conversions and events the outbox could not take.
/// </summary>
internal sealed partial class TrackingDispatcher : IHostedService, IDisposable
{
    private readonly TrackingPipeline _pipeline;
    private readonly TrackingOptions _options;
    private readonly TimeProvider _time;
    private readonly PersonalizationMetrics _metrics;
    private readonly ILogger<TrackingDispatcher> _logger;
    private readonly TrackingJournal? _journal;
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _drain = new();
    private Task[] _loops = [];
    private Task? _stopping;

    public TrackingDispatcher(
        TrackingPipeline pipeline,
        IOptions<PersonalizationOptions> options,
        TimeProvider time,
        PersonalizationMetrics metrics,
        ILogger<TrackingDispatcher> logger,
        TrackingJournal? journal = null)
    {
        _journal = journal;
        _pipeline = pipeline;
        _options = options.Value.Tracking;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var loops = new List<Task>();
        foreach (var queue in _pipeline.Queues)
        {
            var lane = new Lane(queue.Destination, CreateResilience(queue.Destination));
            loops.Add(Task.Run(() => RunAsync(queue, lane), CancellationToken.None));
            if (_pipeline.Outbox is { } outbox)
            {
                loops.Add(Task.Run(() => RunDurableAsync(outbox, queue, lane), CancellationToken.None));
            }
        }

        _loops = [.. loops];
        return Task.CompletedTask;
    }

    /// <summary>
    /// Closes the queues and drains them until <paramref name="cancellationToken"/> (the host's shutdown timeout) fires.
    /// A host can be stopped twice at once (an app's own <c>Run()</c> stops it when a test host stops it, then disposes
    /// it): every call waits for the one drain.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_abort)
        {
            return _stopping ??= DrainAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Stops the loops without disposing the token sources they read: those hold no timers, and a loop still unwinding
    /// must not find them disposed.
    /// </summary>
    public void Dispose() => _abort.Cancel();

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        _pipeline.Close();
        await _drain.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        finally
        {
            foreach (var queue in _pipeline.Queues.Where(q => q.Count > 0))
            {
                _metrics.TrackingDropped(queue.Destination.Name, TrackingDropReason.Shutdown, queue.Count);
                Log.DroppedAtShutdown(_logger, queue.Count, queue.Destination.Name);
            }
        }
    }

    private async Task RunAsync(TrackingQueue queue, Lane lane)
    {
        var batchSize = BatchSize(queue.Destination);
        var batch = new List<TrackingEvent>(batchSize);
        try
        {
            while (await queue.Reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
            {
                await FillAsync(queue, batch, batchSize).ConfigureAwait(false);
                (await DeliverAsync(lane, batch).ConfigureAwait(false)).GiveUp();
                queue.Release(batch.Count);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // The shutdown timeout ran out; StopAsync counts what is left.
        }
    }

    /// <summary>Takes events until the batch is full, or the flush interval since the first one has passed, or shutdown began.</summary>
    private async Task FillAsync(TrackingQueue queue, List<TrackingEvent> batch, int batchSize)
    {
        var started = _time.GetTimestamp();
        while (batch.Count < batchSize)
        {
            if (queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                continue;
            }

            var wait = _options.FlushInterval - _time.GetElapsedTime(started);
            if (wait <= TimeSpan.Zero || _drain.IsCancellationRequested)
            {
                return;
            }

            // Wait for more events, the flush time or shutdown, whichever comes first; then look again.
            using var timeUp = new CancellationTokenSource(wait, _time);
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(timeUp.Token, _drain.Token, _abort.Token);
            try
            {
                if (!await queue.Reader.WaitToReadAsync(waiting.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!_abort.IsCancellationRequested)
            {
            }
        }
    }

    private int BatchSize(ITrackingDestination destination) => Math.Clamp(destination.MaxBatchSize, 1, _options.BatchSize);

    /// <summary>
    /// Delivers a batch through the lane's retry pipeline, waiting out credential pauses; the answer holds the events
    /// still undelivered when the retries ran out (the caller drops them, or leaves them in the outbox).
    /// </summary>
    private async Task<Delivery> DeliverAsync(Lane lane, IReadOnlyList<TrackingEvent> batch)
    {
        var delivery = new Delivery(this, lane.Destination, batch);
        while (true)
        {
            var result = await lane.Resilience.ExecuteAsync(
                static (delivery, cancellationToken) => delivery.SendAsync(cancellationToken), delivery, _abort.Token).ConfigureAwait(false);
            if (result.Outcome != DeliveryOutcome.Unauthorized)
            {
                if (lane.TryResume())
                {
                    _metrics.TrackingResumed(lane.Destination.Name);
                    Log.DestinationResumed(_logger, lane.Destination.Name);
                }

                delivery.Last = result;
                return delivery;
            }

            // Credentials refused: retrying now only burns attempts (and may lock the account). Keep the batch, and
            // everything queued behind it, until the pause is over; say once per outage which setting to fix.
            if (lane.TryPause())
            {
                _metrics.TrackingPaused(lane.Destination.Name);
                Log.DestinationUnauthorized(_logger, lane.Destination.Name, result.Reason, _options.AuthFailurePause.TotalMinutes);
            }

            await Task.Delay(_options.AuthFailurePause, _time, _abort.Token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The retry policy of one destination: transient failures (and the retry part of a partial delivery) are sent
    /// again up to <see cref="TrackingOptions.MaxAttempts"/> times, after the vendor's Retry-After or an exponential
    /// backoff with jitter. Rejections and refused credentials are not retried here.
    /// </summary>
    private ResiliencePipeline<DeliveryResult> CreateResilience(ITrackingDestination destination)
    {
        var builder = new ResiliencePipelineBuilder<DeliveryResult> { TimeProvider = _time };
        if (_options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<DeliveryResult>
            {
                MaxRetryAttempts = _options.MaxAttempts - 1,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { } result && result.Outcome switch
                {
                    DeliveryOutcome.Retry => true,
                    DeliveryOutcome.Partial => result.RetryEvents.Count > 0,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(RetryDelay(args.AttemptNumber + 1, args.Outcome.Result.RetryAfter)),
                OnRetry = args =>
                {
                    Log.WillRetry(_logger, destination.Name, args.Outcome.Result.Reason, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// Counts a partial delivery: each rejection is logged and dropped, the events to retry are returned, and the rest of
    /// the batch counts as delivered. Events the destination names that are not in the batch (or names twice) are ignored.
    /// </summary>
    private List<TrackingEvent> Settle(ITrackingDestination destination, IReadOnlyList<TrackingEvent> batch, DeliveryResult result)
    {
        var open = new HashSet<TrackingEvent>(batch, ReferenceEqualityComparer.Instance);
        foreach (var rejection in result.Rejections)
        {
            var rejected = rejection.Events.Where(open.Remove).ToList();
            var count = rejected.Count;
            if (count > 0)
            {
                _journal?.Settled(destination.Name, rejected, TrackedEventStatus.Dropped, TrackingDropReason.Rejected + ": " + rejection.Reason);
                Reject(destination, count, rejection.Reason);
            }
        }

        var retry = result.RetryEvents.Where(open.Remove).ToList();
        if (open.Count > 0)
        {
            _metrics.TrackingDelivered(destination.Name, open.Count);
            _journal?.Settled(destination.Name, open, TrackedEventStatus.Delivered);
        }

        if (retry.Count > 0)
        {
            _journal?.Settled(destination.Name, retry, TrackedEventStatus.Retrying, result.Reason);
        }

        return retry;
    }

    private void Reject(ITrackingDestination destination, int count, string? reason)
    {
        // Logged before it is counted, so whoever watches the counter finds the reason already written.
        Log.BatchRejected(_logger, count, destination.Name, reason);
        _metrics.TrackingDropped(destination.Name, TrackingDropReason.Rejected, count);
    }

    /// <summary>The vendor's Retry-After when it gave one, else exponential backoff with ±25% jitter; never above the cap.</summary>
    private TimeSpan RetryDelay(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
        {
            return asked < TimeSpan.Zero ? TimeSpan.Zero : (asked > _options.MaxRetryDelay ? _options.MaxRetryDelay : asked);
        }

        var backoff = _options.RetryBaseDelay * Math.Pow(2, attempt - 1) * (0.75 + (0.5 * Random.Shared.NextDouble()));
        return backoff > _options.MaxRetryDelay ? _options.MaxRetryDelay : backoff;
    }

    /// <summary>
    /// One destination's delivery state, shared by its memory and outbox loops: its retry pipeline, and whether it is
    /// paused for refused credentials (so an outage is logged once, whichever loop sees it first).
    /// </summary>
    private sealed class Lane(ITrackingDestination destination, ResiliencePipeline<DeliveryResult> resilience)
    {
        private int _paused;

        public ITrackingDestination Destination => destination;

        public ResiliencePipeline<DeliveryResult> Resilience => resilience;

        /// <summary>True for the call that paused it.</summary>
        public bool TryPause() => Interlocked.Exchange(ref _paused, 1) == 0;

        /// <summary>True for the call that ended the pause.</summary>
        public bool TryResume() => Interlocked.Exchange(ref _paused, 0) == 1;
    }

    /// <summary>
    /// One batch on its way: each attempt sends what is still pending and settles what the destination answered, so a
    /// retry sends only what a partial delivery left open, with the same event ids.
    /// </summary>
    private sealed class Delivery(TrackingDispatcher dispatcher, ITrackingDestination destination, IReadOnlyList<TrackingEvent> batch)
    {
        private IReadOnlyList<TrackingEvent> _pending = batch;
        private int _attempts;

        /// <summary>The events neither delivered nor rejected when the retries ran out.</summary>
        public IReadOnlyList<TrackingEvent> Pending => _pending;

        public int Attempts => _attempts;

        /// <summary>The last answer, once the delivery is over.</summary>
        public DeliveryResult Last { get; set; }

        public async ValueTask<DeliveryResult> SendAsync(CancellationToken cancellationToken)
        {
            if (_attempts++ > 0)
            {
                dispatcher._metrics.TrackingRetried(destination.Name, _pending.Count);
            }

            using var activity = PersonalizationActivities.StartDelivery(destination.Name, _pending, _attempts);
            DeliveryResult result;
            try
            {
                result = await destination.SendAsync(_pending, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                PersonalizationActivities.Outcome(activity, "cancelled");
                throw;
            }
            catch (Exception ex)
            {
                result = DeliveryResult.Retry(ex is HttpRequestException http ? $"network error ({http.HttpRequestError})" : ex.GetType().Name);
            }

            PersonalizationActivities.Outcome(activity, PersonalizationActivities.DeliveryOutcome(result.Outcome), result.Outcome != DeliveryOutcome.Delivered);
            switch (result.Outcome)
            {
                case DeliveryOutcome.Delivered:
                    dispatcher._metrics.TrackingDelivered(destination.Name, _pending.Count);
                    dispatcher._journal?.Settled(destination.Name, _pending, TrackedEventStatus.Delivered);
                    _pending = [];
                    break;
                case DeliveryOutcome.Rejected:
                    dispatcher.Reject(destination, _pending.Count, result.Reason);
                    dispatcher._journal?.Settled(destination.Name, _pending, TrackedEventStatus.Dropped, TrackingDropReason.Rejected + ": " + result.Reason);
                    _pending = [];
                    break;
                case DeliveryOutcome.Partial:
                    _pending = dispatcher.Settle(destination, _pending, result);
                    break;
                default:
                    dispatcher._journal?.Settled(destination.Name, _pending, TrackedEventStatus.Retrying, result.Reason);
                    break;
            }

            return result;
        }

        /// <summary>Drops and counts what the retries could not deliver.</summary>
        public void GiveUp()
        {
            if (_pending.Count > 0)
            {
                Log.RetriesExhausted(dispatcher._logger, _pending.Count, destination.Name, _attempts, Last.Reason);
                dispatcher._metrics.TrackingDropped(destination.Name, TrackingDropReason.RetriesExhausted, _pending.Count);
                dispatcher._journal?.Settled(destination.Name, _pending, TrackedEventStatus.Dropped, TrackingDropReason.RetriesExhausted + ": " + Last.Reason);
            }
        }
    }
}
