namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// A clock tests can move: <see cref="GetUtcNow"/> is the real time plus an offset (or a fixed instant), while timers
/// and timestamps stay real so budgets and timeouts still elapse.
/// </summary>
internal sealed class TestTimeProvider(DateTimeOffset? start = null) : TimeProvider
{
    private readonly object _gate = new();
    private DateTimeOffset? _fixed = start;
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _fixed ?? System.GetUtcNow() + _offset;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            if (_fixed is { } at)
            {
                _fixed = at + by;
            }
            else
            {
                _offset += by;
            }
        }
    }

    public void SetUtcNow(DateTimeOffset now)
    {
        lock (_gate)
        {
            _fixed = now;
        }
    }
}
