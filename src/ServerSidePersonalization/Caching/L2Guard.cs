using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ServerSidePersonalization.Diagnostics;

namespace ServerSidePersonalization.Caching;

/// <summary>
/// Keeps L2 from ever costing a request more than <see cref="CacheOptions.DistributedTimeout"/>: each call runs in a
/// Polly pipeline of a timeout inside a circuit breaker, so once L2 fails (any failed call, when at least two calls were
/// made within 10 s) it is skipped for <see cref="CacheOptions.DistributedBreakDuration"/> and an outage costs nothing per
/// request. The outage is logged once when it starts (the breaker opens) and once when it ends (the breaker closes).
/// </summary>
internal sealed class L2Guard
{
    private readonly IL2Store _store;
    private readonly PersonalizationMetrics _metrics;
    private readonly ILogger<L2Guard> _logger;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;
    private long _outageStarted = -1;
    private int _failuresInOutage;

    public L2Guard(IL2Store store, IOptions<PersonalizationOptions> options, TimeProvider time, PersonalizationMetrics metrics, ILogger<L2Guard> logger)
    {
        _store = store;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        var cache = options.Value.Cache;
        _metrics.L2Breaker(open: false);
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                // Any failure opens it, once it has seen a second call within the window: under load, a ratio
                // would let every page pay the timeout until failures outnumber the successes still in the window.
                FailureRatio = 0.01,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = cache.DistributedBreakDuration,
                OnOpened = args =>
                {
                    _metrics.L2Breaker(open: true);
                    if (Interlocked.CompareExchange(ref _outageStarted, _time.GetTimestamp(), -1) == -1)
                    {
                        var problem = args.Outcome.Exception is TimeoutRejectedException ? "timed out" : args.Outcome.Exception?.GetType().Name ?? "failed";
                        Log.L2OutageStarted(_logger, problem, cache.DistributedBreakDuration.TotalSeconds, args.Outcome.Exception);
                    }

                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    _metrics.L2Breaker(open: false);
                    var started = Interlocked.Exchange(ref _outageStarted, -1);
                    var failures = Interlocked.Exchange(ref _failuresInOutage, 0);
                    if (started != -1)
                    {
                        var seconds = _time.GetElapsedTime(started).TotalSeconds;
                        Log.L2OutageEnded(_logger, seconds, failures);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(cache.DistributedTimeout)
            .Build();
    }

    /// <summary>The entries, or null when L2 is skipped, failed or timed out.</summary>
    public async Task<IReadOnlyList<byte[]?>?> TryGetAsync(IReadOnlyList<string> keys)
    {
        try
        {
            var values = await _pipeline.ExecuteAsync(
                static async (state, cancellationToken) =>
                {
                    // WaitAsync: a store that ignores cancellation still cannot hold the request past the timeout.
                    var values = await state.Store.GetAsync(state.Keys, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
                    return values.Count == state.Keys.Count
                        ? values
                        : throw new InvalidOperationException($"The L2 store answered {values.Count} values for {state.Keys.Count} keys.");
                },
                (Store: _store, Keys: keys)).ConfigureAwait(false);
            _metrics.L2Operation("get", "success");
            return values;
        }
        catch (Exception ex)
        {
            OnFailure("get", ex);
            return null;
        }
    }

    /// <summary>Writes the entries unless L2 is skipped; never throws.</summary>
    public async Task TrySetAsync(IReadOnlyList<L2Entry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        try
        {
            await _pipeline.ExecuteAsync(
                static async (state, cancellationToken) =>
                    await state.Store.SetAsync(state.Entries, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false),
                (Store: _store, Entries: entries)).ConfigureAwait(false);
            _metrics.L2Operation("set", "success");
        }
        catch (Exception ex)
        {
            OnFailure("set", ex);
        }
    }

    private void OnFailure(string operation, Exception exception)
    {
        var outcome = exception switch
        {
            BrokenCircuitException => "skipped",
            TimeoutRejectedException => "timeout",
            _ => "failure",
        };
        _metrics.L2Operation(operation, outcome);
        if (outcome != "skipped")
        {
            Interlocked.Increment(ref _failuresInOutage);
        }
    }
}
