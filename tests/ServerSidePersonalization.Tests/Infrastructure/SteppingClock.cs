using Microsoft.Extensions.Time.Testing;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows which of its timers are armed, so a test can run background work
/// (retry delays, pauses, flush intervals) through simulated minutes: whenever the code under test waits on a timer,
/// the clock jumps to that timer, and it never moves while the code is busy (an HTTP call in flight).
/// </summary>
internal sealed class SteppingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<Armed> _armed = [];

    /// <summary>The earliest instant an armed timer is due, or null when none is.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                return _armed.Count == 0 ? null : _armed.Min(a => a.DueAt);
            }
        }
    }

    /// <summary>The due times, from now, of the timers armed at the moment.</summary>
    public IReadOnlyList<TimeSpan> ArmedDueTimes
    {
        get
        {
            var now = GetUtcNow();
            lock (_gate)
            {
                return [.. _armed.Select(a => a.DueAt - now)];
            }
        }
    }

    /// <summary>
    /// Jumps from timer to timer until <paramref name="done"/> holds, each jump once the code under test is idle on a
    /// timer; false when <paramref name="limit"/> of simulated time passed first.
    /// </summary>
    public async Task<bool> RunUntilAsync(Func<bool> done, TimeSpan limit)
    {
        var end = GetUtcNow() + limit;
        while (!done())
        {
            if (!await Eventually.TrueAsync(() => done() || NextDue is not null))
            {
                return false;
            }

            if (done())
            {
                break;
            }

            var next = NextDue!.Value;
            if (next > end)
            {
                return false;
            }

            var now = GetUtcNow();
            Advance(next > now ? next - now : TimeSpan.Zero);
        }

        return true;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var armed = new Armed(this);
        var timer = base.CreateTimer(
            s =>
            {
                armed.Fired();
                callback(s);
            },
            state,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        var tracked = new TrackedTimer(timer, armed);
        tracked.Change(dueTime, period);
        return tracked;
    }

    private sealed class Armed(SteppingClock clock)
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset DueAt { get; private set; }

        public void Set(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                _period = period;
                clock._armed.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = clock.GetUtcNow() + dueTime;
                    clock._armed.Add(this);
                }
            }
        }

        /// <summary>A one-shot timer is disarmed once it fired; a periodic one is due again a period later.</summary>
        public void Fired() => Set(_period == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : _period, _period);
    }

    private sealed class TrackedTimer(ITimer inner, Armed armed) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            armed.Set(dueTime, period);
            return inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            armed.Set(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            armed.Set(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return inner.DisposeAsync();
        }
    }
}
