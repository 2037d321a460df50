using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells which timers were created, so a test can wait until the code under
/// test has started the timer it is about (a budget, a delay) before it moves the clock past it.
/// </summary>
internal sealed class ObservedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    /// <summary>Whether a timer due after <paramref name="dueTime"/> has been created.</summary>
    public bool HasTimer(TimeSpan dueTime) => _dueTimes.Contains(dueTime);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _dueTimes.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
