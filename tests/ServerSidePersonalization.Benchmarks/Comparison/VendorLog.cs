using System.Collections.Concurrent;
using System.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Benchmarks.Comparison;

/// <summary>
/// A healthy stub MoEngage that also keeps what the comparison reports: when each visitor was fetched for, and how many
/// events each events POST carried.
/// </summary>
internal sealed class VendorLog
{
    private readonly ConcurrentQueue<(string Visitor, long At)> _fetches = new();
    private long _posts;
    private long _events;

    public long Calls => _fetches.Count;

    public long Posts => Interlocked.Read(ref _posts);

    public long Events => Interlocked.Read(ref _events);

    public StubResponse Answer(RecordedRequest request)
    {
        if (request.Path == MoEngageAnswers.FetchPath)
        {
            var body = request.Json;
            var visitor = body.TryGetProperty("customer_id", out var customer) ? customer.GetString()
                : body.TryGetProperty("visitor_id", out var id) ? id.GetString()
                : null;
            _fetches.Enqueue((visitor ?? "(none)", Stopwatch.GetTimestamp()));
        }
        else if (request.Path == MoEngageAnswers.EventsPath)
        {
            var actions = request.Json.GetProperty("elements").EnumerateArray().Sum(e => e.GetProperty("actions").GetArrayLength());
            Interlocked.Increment(ref _posts);
            Interlocked.Add(ref _events, actions);
        }

        return MoEngageAnswers.Healthy(request);
    }

    public int DistinctVisitors() => _fetches.Select(f => f.Visitor).Distinct(StringComparer.Ordinal).Count();

    /// <summary>
    /// The most calls one visitor got within one freshness window (<paramref name="window"/> less 100 ms, for the time a
    /// fetch takes between the stub and the cache): 1 when every repeat call waited for the entry to go stale.
    /// </summary>
    public int MaxCallsPerVisitorPerWindow(TimeSpan window)
    {
        var span = Stopwatch.Frequency * (window.TotalSeconds - 0.1);
        var most = 0;
        foreach (var visitor in _fetches.GroupBy(f => f.Visitor, StringComparer.Ordinal))
        {
            var times = visitor.Select(f => f.At).Order().ToArray();
            for (int start = 0, end = 0; end < times.Length; end++)
            {
                while (times[end] - times[start] >= span)
                {
                    start++;
                }

                most = Math.Max(most, end - start + 1);
            }
        }

        return most;
    }
}
