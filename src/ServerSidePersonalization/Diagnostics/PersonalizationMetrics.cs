using System.Diagnostics.Metrics;
using ServerSidePersonalization.Caching;

namespace ServerSidePersonalization.Diagnostics;

/// <summary>The library's instruments, created once from <see cref="IMeterFactory"/>.</summary>
internal sealed class PersonalizationMetrics
{
    private readonly Counter<long> _lookups;
    private readonly Counter<long> _l2Operations;
    private readonly Counter<long> _providerCalls;
    private readonly Counter<long> _providerSkipped;
    private readonly Counter<long> _trackingEvents;
    private readonly Counter<long> _trackingPauses;
    private readonly Counter<long> _foreignClicks;
    private readonly Counter<long> _excluded;

    public PersonalizationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(PersonalizationTelemetry.MeterName);
        _lookups = meter.CreateCounter<long>(PersonalizationTelemetry.ExperienceLookups, "{lookup}", "Experience lookups by where the answer came from.");
        _l2Operations = meter.CreateCounter<long>(PersonalizationTelemetry.L2Operations, "{operation}", "L2 reads and writes by outcome.");
        _providerCalls = meter.CreateCounter<long>(PersonalizationTelemetry.ProviderCalls, "{call}", "Provider calls made on cache misses.");
        _providerSkipped = meter.CreateCounter<long>(PersonalizationTelemetry.ProviderSkipped, "{call}", "Provider fetches not made because its circuit breaker is open.");
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
        if (_trackingPauses.Enabled)
        {
            _trackingPauses.Add(1, new KeyValuePair<string, object?>("destination", destination));
        }
    }

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

    private static string OriginTag(ExperienceOrigin origin) => origin switch
    {
        ExperienceOrigin.L1 => "l1",
        ExperienceOrigin.L2 => "l2",
        ExperienceOrigin.Provider => "provider",
        ExperienceOrigin.Stale => "stale",
        _ => "none",
    };
}
