using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also knows which of its timers are armed (created or changed, and neither fired
/// nor disposed), so a test can wait until the code under test has started the timer it is about (a budget, a retry
/// delay, a timeout) before it moves the clock past it. Without that wait, a clock moved too early would leave the
/// timer to be armed afterwards, from the new time, and never fire.
/// </summary>
internal sealed class ObservedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    /// <summary>A Wednesday morning, on a whole second.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentDictionary<ObservedTimer, (TimeSpan Due, DateTimeOffset At)> _armed = new();

    public ObservedClock()
        : this(DefaultStart)
    {
    }

    /// <summary>The timers armed now, as the due time each was armed with (for failure messages).</summary>
    public string DescribeArmed() => string.Join(", ", _armed.Values.Select(a => $"{a.Due} (at {a.At - Start})"));

    /// <summary>Whether a timer due <paramref name="dueTime"/> after it was armed is armed now.</summary>
    public bool HasTimer(TimeSpan dueTime) => Armed(dueTime) > 0;

    /// <summary>How many timers due <paramref name="dueTime"/> after they were armed are armed now.</summary>
    public int Armed(TimeSpan dueTime) => _armed.Values.Count(d => d.Due == dueTime);

    /// <summary>Waits until a timer due after <paramref name="dueTime"/> is armed, then moves the clock by that much.</summary>
    public async Task AdvanceWhenArmedAsync(TimeSpan dueTime)
    {
        Assert.True(
            await Eventually.TrueAsync(() => HasTimer(dueTime)),
            $"No timer due after {dueTime} was started; armed: {string.Join(", ", _armed.Values.Select(a => a.Due))}.");
        Advance(dueTime);
    }

    /// <summary>
    /// Runs background work through simulated time: jumps from armed timer to armed timer until <paramref name="done"/>
    /// holds, each jump once the code under test is idle on a timer (never while it is busy, with an HTTP call in
    /// flight, say); false when <paramref name="limit"/> of simulated time passed first.
    /// </summary>
    public async Task<bool> RunUntilAsync(Func<bool> done, TimeSpan limit)
    {
        var end = GetUtcNow() + limit;
        var step = TimeSpan.Zero;
        while (!done())
        {
            if (!await Eventually.TrueAsync(() => done() || !_armed.IsEmpty))
            {
                return false;
            }

            if (done())
            {
                break;
            }

            var next = _armed.Values.Select(a => a.At).DefaultIfEmpty(GetUtcNow()).Min();
            var now = GetUtcNow();
            if (next > end || now > end)
            {
                return false;
            }

            if (next > now)
            {
                step = TimeSpan.Zero;
                Advance(next - now);
            }
            else
            {
                // Due now or earlier and not fired: first a zero advance (a timer due exactly now fires), then steps that
                // double. A timer armed while another thread moved the clock was recorded earlier than the provider holds
                // it; without a step this loop would spin at the same instant for ever.
                Advance(step);
                step = step == TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : step * 2;
            }
        }

        return true;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Recorded before the timer exists (so a firing never precedes it), announced after (so a test woken by the
        // announcement moves a clock the timer is already on).
        var observed = new ObservedTimer(this, period);
        observed.Record(dueTime);
        observed.Inner = base.CreateTimer(
            s =>
            {
                observed.Fired();
                callback(s);
            },
            state,
            dueTime,
            period);
        Eventually.Notify();
        return observed;
    }

    private sealed class ObservedTimer(ObservedClock clock, TimeSpan period) : ITimer
    {
        private TimeSpan _period = period;

        public ITimer Inner { get; set; } = null!;

        public void Record(TimeSpan dueTime)
        {
            if (dueTime == Timeout.InfiniteTimeSpan || dueTime == TimeSpan.Zero)
            {
                clock._armed.TryRemove(this, out _);
            }
            else
            {
                clock._armed[this] = (dueTime, clock.GetUtcNow() + dueTime);
            }
        }

        public void Fired()
        {
            if (_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero)
            {
                clock._armed.TryRemove(this, out _);
            }
            else
            {
                Record(_period);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            Record(dueTime);
            var changed = Inner.Change(dueTime, period);
            Eventually.Notify();
            return changed;
        }

        public void Dispose()
        {
            clock._armed.TryRemove(this, out _);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            clock._armed.TryRemove(this, out _);
            return Inner.DisposeAsync();
        }
    }
}
