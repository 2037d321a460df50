using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Diagnostics;

namespace ServerSidePersonalization.Caching;

/// <summary>
/// Keeps L2 from ever costing a request more than <see cref="CacheOptions.DistributedTimeout"/>: each call is bounded,
/// and after a failure L2 is skipped for <see cref="CacheOptions.DistributedBreakDuration"/> (a circuit breaker), so an
/// outage costs nothing per request. The outage is logged once when it starts and once when it ends.
/// </summary>
internal sealed class L2Guard
{
    private readonly IL2Store _store;
    private readonly CacheOptions _options;
    private readonly TimeProvider _time;
    private readonly PersonalizationMetrics _metrics;
    private readonly ILogger<L2Guard> _logger;
    private readonly Lock _gate = new();
    private DateTimeOffset _openUntil = DateTimeOffset.MinValue;
    private DateTimeOffset? _outageSince;
    private int _failuresInOutage;

    public L2Guard(IL2Store store, IOptions<PersonalizationOptions> options, TimeProvider time, PersonalizationMetrics metrics, ILogger<L2Guard> logger)
    {
        _store = store;
        _options = options.Value.Cache;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The entries, or null when L2 is skipped, failed or timed out.</summary>
    public async Task<IReadOnlyList<byte[]?>?> TryGetAsync(IReadOnlyList<string> keys)
    {
        if (IsOpen())
        {
            _metrics.L2Operation("get", "skipped");
            return null;
        }

        using var timeout = new CancellationTokenSource(_options.DistributedTimeout, _time);
        try
        {
            var values = await _store.GetAsync(keys, timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
            if (values.Count != keys.Count)
            {
                throw new InvalidOperationException($"The L2 store answered {values.Count} values for {keys.Count} keys.");
            }

            OnSuccess("get");
            return values;
        }
        catch (Exception ex)
        {
            OnFailure("get", ex, timeout.IsCancellationRequested);
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

        if (IsOpen())
        {
            _metrics.L2Operation("set", "skipped");
            return;
        }

        using var timeout = new CancellationTokenSource(_options.DistributedTimeout, _time);
        try
        {
            await _store.SetAsync(entries, timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
            OnSuccess("set");
        }
        catch (Exception ex)
        {
            OnFailure("set", ex, timeout.IsCancellationRequested);
        }
    }

    private bool IsOpen()
    {
        lock (_gate)
        {
            return _time.GetUtcNow() < _openUntil;
        }
    }

    private void OnSuccess(string operation)
    {
        _metrics.L2Operation(operation, "success");
        DateTimeOffset? since;
        int failures;
        lock (_gate)
        {
            since = _outageSince;
            failures = _failuresInOutage;
            _outageSince = null;
            _failuresInOutage = 0;
        }

        if (since is { } start)
        {
            var seconds = (_time.GetUtcNow() - start).TotalSeconds;
            Log.L2OutageEnded(_logger, seconds, failures);
        }
    }

    private void OnFailure(string operation, Exception exception, bool timedOut)
    {
        _metrics.L2Operation(operation, timedOut ? "timeout" : "failure");
        bool started;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            _openUntil = now + _options.DistributedBreakDuration;
            started = _outageSince is null;
            _outageSince ??= now;
            _failuresInOutage++;
        }

        if (started)
        {
            Log.L2OutageStarted(_logger, operation, timedOut ? "timed out" : exception.GetType().Name, _options.DistributedBreakDuration.TotalSeconds, exception);
        }
    }
}
