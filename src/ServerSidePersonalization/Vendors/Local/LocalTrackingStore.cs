using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.Vendors.Local;

/// <summary>The most recent locally recorded tracking events, in memory, bounded; read by statistics pages and tests.</summary>
public sealed class LocalTrackingStore
{
    private readonly Queue<LocalTrackingRecord> _records = new();
    private readonly int _capacity;
    private readonly Lock _gate = new();

    /// <summary>Creates the store with the configured capacity (<c>Personalization:Tracking:Local:MaxEvents</c>).</summary>
    public LocalTrackingStore(IOptions<LocalTrackingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _capacity = options.Value.MaxEvents;
    }

    /// <summary>A copy of the records kept, oldest first.</summary>
    public IReadOnlyList<LocalTrackingRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _records];
        }
    }

    internal void Add(IEnumerable<LocalTrackingRecord> records)
    {
        lock (_gate)
        {
            foreach (var record in records)
            {
                if (_records.Count == _capacity)
                {
                    _records.Dequeue();
                }

                _records.Enqueue(record);
            }
        }
    }
}
