using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ServerSidePersonalization.Diagnostics;

namespace ServerSidePersonalization.Benchmarks;

/// <summary>
/// The library's tracking counter (<c>personalization.tracking.events</c>) summed by <c>outcome</c>, read with a
/// <see cref="MeterListener"/> as any metrics exporter would.
/// </summary>
internal sealed class TrackingCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _byOutcome = new(StringComparer.Ordinal);

    public TrackingCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PersonalizationTelemetry.MeterName && instrument.Name == PersonalizationTelemetry.TrackingEvents)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome" && tag.Value is string outcome)
                {
                    _byOutcome.AddOrUpdate(outcome, value, (_, sum) => sum + value);
                }
            }
        });
        _listener.Start();
    }

    public long this[string outcome] => _byOutcome.GetValueOrDefault(outcome);

    public void Dispose() => _listener.Dispose();
}
