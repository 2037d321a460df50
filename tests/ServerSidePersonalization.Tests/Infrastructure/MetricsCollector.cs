using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ServerSidePersonalization.Diagnostics;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// The library's instruments for one app only, through a <see cref="MetricCollector{T}"/> per instrument scoped to that
/// app's <see cref="IMeterFactory"/>, so tests running in parallel do not see each other's measurements. Counters and
/// gauges are <see cref="long"/>; the duration histogram is <see cref="double"/>.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    /// <summary>Every instrument the library publishes: each public constant of <see cref="PersonalizationTelemetry"/> but the meter's name.</summary>
    private static readonly string[] Instruments =
    [
        .. typeof(PersonalizationTelemetry).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(PersonalizationTelemetry.MeterName))
            .Select(f => (string)f.GetRawConstantValue()!),
    ];

    private readonly Dictionary<string, MetricCollector<long>> _collectors;
    private readonly Dictionary<string, MetricCollector<double>> _durations;

    public MetricsCollector(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _collectors = Instruments.ToDictionary(
            name => name,
            name => new MetricCollector<long>(factory, PersonalizationTelemetry.MeterName, name),
            StringComparer.Ordinal);
        _durations = Instruments.ToDictionary(
            name => name,
            name => new MetricCollector<double>(factory, PersonalizationTelemetry.MeterName, name),
            StringComparer.Ordinal);
    }

    /// <summary>Every instrument name the library publishes.</summary>
    public static IReadOnlyList<string> AllInstruments => Instruments;

    /// <summary>Every measurement of <paramref name="instrument"/>, of either type, with its value as a double.</summary>
    public IReadOnlyList<(double Value, IReadOnlyDictionary<string, object?> Tags)> Measurements(string instrument) =>
    [
        .. _collectors[instrument].GetMeasurementSnapshot().Select(m => ((double)m.Value, m.Tags)),
        .. _durations[instrument].GetMeasurementSnapshot().Select(m => (m.Value, m.Tags)),
    ];

    /// <summary>Reads the observable gauges now (each reading becomes one measurement).</summary>
    public void Observe()
    {
        foreach (var collector in _collectors.Values)
        {
            collector.RecordObservableInstruments();
        }
    }

    /// <summary>The last reading of gauge <paramref name="instrument"/> whose tags include all of <paramref name="tags"/> (after <see cref="Observe"/>).</summary>
    public long? Gauge(string instrument, params (string Key, string Value)[] tags) =>
        _collectors[instrument].GetMeasurementSnapshot()
            .LastOrDefault(m => tags.All(t => m.Tags.TryGetValue(t.Key, out var value) && value?.ToString() == t.Value))?.Value;

    /// <summary>The sum of <paramref name="instrument"/> over measurements whose tags include all of <paramref name="tags"/>.</summary>
    public long Sum(string instrument, params (string Key, string Value)[] tags) =>
        _collectors[instrument].GetMeasurementSnapshot()
            .Where(m => tags.All(t => m.Tags.TryGetValue(t.Key, out var value) && value?.ToString() == t.Value))
            .Sum(m => m.Value);

    public long Lookups(string origin) => Sum(PersonalizationTelemetry.ExperienceLookups, ("origin", origin));

    public long L2(string operation, string outcome) => Sum(PersonalizationTelemetry.L2Operations, ("operation", operation), ("outcome", outcome));

    public void Dispose()
    {
        foreach (var collector in _collectors.Values)
        {
            collector.Dispose();
        }

        foreach (var collector in _durations.Values)
        {
            collector.Dispose();
        }
    }
}
