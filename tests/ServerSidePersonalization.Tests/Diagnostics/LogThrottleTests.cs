using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Diagnostics;

public sealed class LogThrottleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void ShouldLog_FirstCall_LogsWithNothingSuppressed()
    {
        var throttle = new LogThrottle(_time, Interval);

        Assert.True(throttle.ShouldLog(out var suppressed));
        Assert.Equal(0, suppressed);
    }

    [Fact]
    public void ShouldLog_CallsWithinTheInterval_AreSuppressed()
    {
        var throttle = new LogThrottle(_time, Interval);
        Assert.True(throttle.ShouldLog(out _));

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));

            Assert.False(throttle.ShouldLog(out var suppressed));
            Assert.Equal(0, suppressed);
        }
    }

    [Fact]
    public void ShouldLog_AfterTheInterval_LogsAndReportsHowManyWereSuppressed()
    {
        const int skipped = 7;
        var throttle = new LogThrottle(_time, Interval);
        Assert.True(throttle.ShouldLog(out _));
        for (var i = 0; i < skipped; i++)
        {
            Assert.False(throttle.ShouldLog(out _));
        }

        _time.Advance(Interval);

        Assert.True(throttle.ShouldLog(out var suppressed));
        Assert.Equal(skipped, suppressed);
    }

    [Fact]
    public void ShouldLog_JustBeforeTheIntervalEnds_IsStillSuppressed()
    {
        var throttle = new LogThrottle(_time, Interval);
        Assert.True(throttle.ShouldLog(out _));

        _time.Advance(Interval - TimeSpan.FromTicks(1));

        Assert.False(throttle.ShouldLog(out _));
    }

    [Fact]
    public void ShouldLog_SecondWindow_CountsOnlyWhatItSuppressed()
    {
        var throttle = new LogThrottle(_time, Interval);
        Assert.True(throttle.ShouldLog(out _));
        Assert.False(throttle.ShouldLog(out _));
        Assert.False(throttle.ShouldLog(out _));
        _time.Advance(Interval);
        Assert.True(throttle.ShouldLog(out var first));
        Assert.False(throttle.ShouldLog(out _));

        _time.Advance(Interval);

        Assert.True(throttle.ShouldLog(out var second));
        Assert.Equal(2, first);
        Assert.Equal(1, second);
    }

    [Fact]
    public void ShouldLog_LongQuietPeriod_LogsOnceThenSuppressesAgain()
    {
        var throttle = new LogThrottle(_time, Interval);
        Assert.True(throttle.ShouldLog(out _));

        _time.Advance(TimeSpan.FromDays(3));

        Assert.True(throttle.ShouldLog(out var suppressed));
        Assert.Equal(0, suppressed);
        Assert.False(throttle.ShouldLog(out _));
    }

    [Fact]
    public void ShouldLog_ManyThreadsAtOneInstant_LetsExactlyOneThrough()
    {
        const int threads = 64;
        const int callsPerThread = 100;
        var throttle = new LogThrottle(_time, Interval);
        using var start = new Barrier(threads);
        var allowed = 0;
        var reportedByWinner = 0;

        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < callsPerThread; i++)
            {
                if (throttle.ShouldLog(out var suppressed))
                {
                    Interlocked.Increment(ref allowed);
                    Interlocked.Add(ref reportedByWinner, suppressed);
                }
            }
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());

        Assert.Equal(1, allowed);

        // Every suppressed call is reported exactly once, by this entry or the next.
        _time.Advance(Interval);
        Assert.True(throttle.ShouldLog(out var reportedByNext));
        Assert.Equal((threads * callsPerThread) - 1, reportedByWinner + reportedByNext);
    }
}
