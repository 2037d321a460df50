using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Diagnostics;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// Records the library's counters for one app only (its meters come from that app's <see cref="IMeterFactory"/>), so
/// tests running in parallel do not see each other's measurements.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, string?> Tags)> _measurements = new();

    public MetricsCollector(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PersonalizationTelemetry.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tagged = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                tagged[tag.Key] = tag.Value?.ToString();
            }

            _measurements.Enqueue((instrument.Name, value, tagged));
        });
        _listener.Start();
    }

    /// <summary>The sum of <paramref name="instrument"/> over measurements whose tags include all of <paramref name="tags"/>.</summary>
    public long Sum(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.GetValueOrDefault(t.Key) == t.Value)).Sum(m => m.Value);

    public long Lookups(string origin) => Sum(PersonalizationTelemetry.ExperienceLookups, ("origin", origin));

    public long L2(string operation, string outcome) => Sum(PersonalizationTelemetry.L2Operations, ("operation", operation), ("outcome", outcome));

    public void Dispose() => _listener.Dispose();
}
