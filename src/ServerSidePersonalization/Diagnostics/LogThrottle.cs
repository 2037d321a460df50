namespace ServerSidePersonalization.Diagnostics;

/// <summary>
/// Lets one log entry through per interval and counts the rest, so a vendor outage or a wrong key writes a line a
/// minute instead of a line a request.
/// </summary>
internal sealed class LogThrottle(TimeProvider time, TimeSpan interval)
{
    private long _nextAllowedTicks = long.MinValue;
    private int _suppressed;

    /// <summary>True when this occurrence should be logged; <paramref name="suppressed"/> is how many were skipped since the last.</summary>
    public bool ShouldLog(out int suppressed)
    {
        var now = time.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextAllowedTicks);
        if (now >= next && Interlocked.CompareExchange(ref _nextAllowedTicks, now + interval.Ticks, next) == next)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
