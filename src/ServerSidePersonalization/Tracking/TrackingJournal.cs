using System.Security.Cryptography;
using System.Text;
using ServerSidePersonalization.Diagnostics;

namespace ServerSidePersonalization.Tracking;

/// <summary>
/// For the debug page only (off otherwise, at the cost of a flag read): the last <see cref="EventsPerVisitor"/> events of
/// the last <see cref="Visitors"/> visitors, each with its status per destination as the pipeline and dispatcher settle
/// it. Visitors are held by a hash of their id, never the id; the visitor seen longest ago goes first.
/// </summary>
internal sealed class TrackingJournal(DebugRecording recording)
{
    public const int Visitors = 200;
    public const int EventsPerVisitor = 50;

    private readonly Dictionary<string, LinkedList<TrackingJournalEntry>> _visitors = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _recent = new();

    public bool Enabled => recording.Enabled;

    public void Queued(string destination, TrackingEvent trackingEvent)
    {
        if (!Enabled || Hash(trackingEvent) is not { } visitor)
        {
            return;
        }

        var entry = new TrackingJournalEntry(
            trackingEvent.Id,
            trackingEvent.Kind,
            trackingEvent.ExperienceKey ?? trackingEvent.Conversion?.Name ?? string.Empty,
            destination,
            trackingEvent.OccurredAt,
            TrackedEventStatus.Queued,
            null);
        lock (_visitors)
        {
            if (!_visitors.TryGetValue(visitor, out var events))
            {
                if (_visitors.Count >= Visitors && _recent.Last is { } oldest)
                {
                    _visitors.Remove(oldest.Value);
                    _recent.RemoveLast();
                }

                _visitors[visitor] = events = new();
            }
            else
            {
                _recent.Remove(visitor);
            }

            _recent.AddFirst(visitor);
            events.AddLast(entry);
            if (events.Count > EventsPerVisitor)
            {
                events.RemoveFirst();
            }
        }
    }

    /// <summary>Records what became of <paramref name="events"/> at <paramref name="destination"/>.</summary>
    public void Settled(string destination, IEnumerable<TrackingEvent> events, TrackedEventStatus status, string? reason = null)
    {
        if (!Enabled)
        {
            return;
        }

        foreach (var trackingEvent in events)
        {
            if (Hash(trackingEvent) is not { } visitor)
            {
                continue;
            }

            lock (_visitors)
            {
                for (var node = _visitors.GetValueOrDefault(visitor)?.Last; node is not null; node = node.Previous)
                {
                    if (node.Value.EventId == trackingEvent.Id && node.Value.Destination == destination)
                    {
                        node.Value = node.Value with { Status = status, Reason = reason };
                        break;
                    }
                }
            }
        }
    }

    /// <summary>The journal of the visitor whose id is <paramref name="userId"/>, oldest event first.</summary>
    public IReadOnlyList<TrackingJournalEntry> For(string? userId)
    {
        if (userId is null)
        {
            return [];
        }

        var visitor = Hash(userId);
        lock (_visitors)
        {
            return _visitors.TryGetValue(visitor, out var events) ? [.. events] : [];
        }
    }

    private static string? Hash(TrackingEvent trackingEvent) => trackingEvent.Identity.UserId is { } userId ? Hash(userId) : null;

    private static string Hash(string userId) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(userId)));
}
