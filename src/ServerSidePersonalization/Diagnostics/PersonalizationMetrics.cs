using System.Diagnostics.Metrics;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Diagnostics;

/// <summary>
/// The library's instruments, created once from <see cref="IMeterFactory"/>. Breaker and pause changes are also kept in
/// <see cref="PersonalizationState"/>, which the observable gauges and the health check read.
/// </summary>
internal sealed class PersonalizationMetrics
{
    private readonly Counter<long> _lookups;
    private readonly Counter<long> _l2Operations;
    private readonly Counter<long> _providerCalls;
    private readonly Counter<long> _providerSkipped;
    private readonly Histogram<double> _providerDuration;
    private readonly Counter<long> _providerFailures;
    private readonly Counter<long> _trackingEvents;
    private readonly Counter<long> _trackingPauses;
    private readonly Counter<long> _foreignClicks;
    private readonly Counter<long> _excluded;
    private readonly PersonalizationState _state;

    public PersonalizationMetrics(IMeterFactory meterFactory, PersonalizationState state)
    {
        _state = state;
        var meter = meterFactory.Create(PersonalizationTelemetry.MeterName);
        _lookups = meter.CreateCounter<long>(PersonalizationTelemetry.ExperienceLookups, "{lookup}", "Experience lookups by where the answer came from.");
        _l2Operations = meter.CreateCounter<long>(PersonalizationTelemetry.L2Operations, "{operation}", "L2 reads and writes by outcome.");
        _providerCalls = meter.CreateCounter<long>(PersonalizationTelemetry.ProviderCalls, "{call}", "Provider calls made on cache misses.");
        _providerSkipped = meter.CreateCounter<long>(PersonalizationTelemetry.ProviderSkipped, "{call}", "Provider fetches not made because its circuit breaker is open.");
        _providerDuration = meter.CreateHistogram<double>(
            PersonalizationTelemetry.ProviderDuration, "s", "Provider fetch durations by outcome.", advice: new() { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _providerFailures = meter.CreateCounter<long>(PersonalizationTelemetry.ProviderFailures, "{call}", "Failed provider fetches by reason.");
        meter.CreateObservableGauge(PersonalizationTelemetry.ProviderBreakerState, ObserveProviderBreakers, "{open}", "1 while the provider's circuit breaker is open.");
        meter.CreateObservableGauge(PersonalizationTelemetry.L2BreakerState, ObserveL2Breaker, "{open}", "1 while L2 is skipped as unreachable.");
        meter.CreateObservableGauge(PersonalizationTelemetry.TrackingQueueLength, ObserveQueues, "{event}", "Tracking events waiting or being delivered, by destination and store (memory, outbox).");
        meter.CreateObservableGauge(PersonalizationTelemetry.TrackingPaused, ObservePauses, "{paused}", "1 while the destination is paused for refused credentials.");
        _trackingEvents = meter.CreateCounter<long>(PersonalizationTelemetry.TrackingEvents, "{event}", "Tracking events delivered or dropped, by destination.");
        _trackingPauses = meter.CreateCounter<long>(PersonalizationTelemetry.TrackingPauses, "{pause}", "Destinations paused because they refused their credentials.");
        _foreignClicks = meter.CreateCounter<long>(PersonalizationTelemetry.ForeignClicks, "{click}", "Clicks on tracked links by someone other than the user they were rendered for; not reported.");
        _excluded = meter.CreateCounter<long>(PersonalizationTelemetry.RequestsExcluded, "{request}", "Requests excluded from tracking, by reason (bot, consent, gpc).");
    }

    public void Lookup(ExperienceOrigin origin, string provider)
    {
        if (_lookups.Enabled)
        {
            _lookups.Add(1, new("origin", OriginTag(origin)), new("provider", provider));
        }
    }

    public void L2Operation(string operation, string outcome)
    {
        if (_l2Operations.Enabled)
        {
            _l2Operations.Add(1, new("operation", operation), new("outcome", outcome));
        }
    }

    public void ProviderCall(string provider)
    {
        if (_providerCalls.Enabled)
        {
            _providerCalls.Add(1, new KeyValuePair<string, object?>("provider", provider));
        }
    }

    /// <summary>A fetch not made because the provider's circuit breaker is open.</summary>
    public void ProviderSkipped(string provider)
    {
        if (_providerSkipped.Enabled)
        {
            _providerSkipped.Add(1, new KeyValuePair<string, object?>("provider", provider));
        }
    }

    /// <summary>A provider fetch made (not skipped), how it ended and how long it took.</summary>
    public void ProviderFetched(string provider, string outcome, TimeSpan elapsed)
    {
        if (_providerDuration.Enabled)
        {
            _providerDuration.Record(elapsed.TotalSeconds, new("provider", provider), new("outcome", outcome));
        }
    }

    /// <summary>A provider fetch that failed, by <paramref name="reason"/> (failed_keys, timeout, error).</summary>
    public void ProviderFailed(string provider, string reason)
    {
        if (_providerFailures.Enabled)
        {
            _providerFailures.Add(1, new("provider", provider), new("reason", reason));
        }
    }

    /// <summary>A provider's circuit breaker opened or closed (closed also when the provider is first set up).</summary>
    public void ProviderBreaker(string provider, bool open) => _state.ProviderBreaker(provider, open);

    /// <summary>The L2 circuit breaker opened or closed (closed also when L2 is first set up).</summary>
    public void L2Breaker(bool open) => _state.L2Breaker(open);

    /// <summary>The tracking queues and, in durable mode, the outbox, whose lengths the queue gauge reports.</summary>
    public void ObserveQueues(IReadOnlyList<TrackingQueue> queues, OutboxBacklog? outbox) => _state.ObserveQueues(queues, outbox);

    /// <summary>An event queued for <paramref name="destination"/>.</summary>
    public void TrackingEnqueued(string destination)
    {
        if (_trackingEvents.Enabled)
        {
            _trackingEvents.Add(1, new("destination", destination), new("outcome", "enqueued"));
        }
    }

    public void TrackingDelivered(string destination, int count)
    {
        if (_trackingEvents.Enabled)
        {
            _trackingEvents.Add(count, new("destination", destination), new("outcome", "delivered"));
        }
    }

    public void TrackingDropped(string destination, string reason, int count)
    {
        if (_trackingEvents.Enabled)
        {
            _trackingEvents.Add(count, new("destination", destination), new("outcome", "dropped"), new("reason", reason));
        }
    }

    /// <summary>A batch sent again after a transient failure (<paramref name="count"/> events).</summary>
    public void TrackingRetried(string destination, int count)
    {
        if (_trackingEvents.Enabled)
        {
            _trackingEvents.Add(count, new("destination", destination), new("outcome", "retried"));
        }
    }

    /// <summary>An event that could not be written to the durable outbox in time and was queued in memory instead.</summary>
    public void TrackingFellBack(string destination)
    {
        if (_trackingEvents.Enabled)
        {
            _trackingEvents.Add(1, new("destination", destination), new("outcome", "memory_fallback"));
        }
    }

    /// <summary>A destination paused because it refused its credentials (one per outage).</summary>
    public void TrackingPaused(string destination)
    {
        _state.DestinationPaused(destination, paused: true);
        if (_trackingPauses.Enabled)
        {
            _trackingPauses.Add(1, new KeyValuePair<string, object?>("destination", destination));
        }
    }

    /// <summary>A paused destination delivered again.</summary>
    public void TrackingResumed(string destination) => _state.DestinationPaused(destination, paused: false);

    /// <summary>An event a destination was meant to report but could not for this visitor (no id the vendor knows).</summary>
    public void TrackingSkipped(string destination, string reason)
    {
        if (_trackingEvents.Enabled)
        {
            _trackingEvents.Add(1, new("destination", destination), new("outcome", "skipped"), new("reason", reason));
        }
    }

    /// <summary>A click on a link rendered for another user: redirected, not reported.</summary>
    public void ForeignClick()
    {
        if (_foreignClicks.Enabled)
        {
            _foreignClicks.Add(1);
        }
    }

    /// <summary>A request that gets no cookie and reports no event, by <paramref name="reason"/> (bot, consent, gpc).</summary>
    public void RequestExcluded(string reason)
    {
        if (_excluded.Enabled)
        {
            _excluded.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    private IEnumerable<Measurement<long>> ObserveProviderBreakers() =>
        _state.ProviderBreakers.Select(b => new Measurement<long>(b.Value ? 1 : 0, new KeyValuePair<string, object?>("provider", b.Key)));

    private IEnumerable<Measurement<long>> ObserveL2Breaker() =>
        _state.HasL2 ? [new Measurement<long>(_state.L2Unreachable ? 1 : 0)] : [];

    /// <summary>The outbox's backlog is the last cached reading: a scrape never waits on Redis, and an unknown one is left out, not 0.</summary>
    private IEnumerable<Measurement<long>> ObserveQueues()
    {
        var outbox = _state.Outbox;
        foreach (var queue in _state.Queues)
        {
            var name = queue.Destination.Name;
            yield return new Measurement<long>(queue.Count, new("destination", name), new("store", "memory"));
            if (outbox?.Peek(name) is { } stored)
            {
                yield return new Measurement<long>(stored, new("destination", name), new("store", "outbox"));
            }
        }
    }

    private IEnumerable<Measurement<long>> ObservePauses() =>
        _state.Queues.Select(q => new Measurement<long>(
            _state.IsPaused(q.Destination.Name) ? 1 : 0, new KeyValuePair<string, object?>("destination", q.Destination.Name)));

    internal static string OriginTag(ExperienceOrigin origin) => origin switch
    {
        ExperienceOrigin.L1 => "l1",
        ExperienceOrigin.L2 => "l2",
        ExperienceOrigin.Provider => "provider",
        ExperienceOrigin.Stale => "stale",
        _ => "none",
    };
}
