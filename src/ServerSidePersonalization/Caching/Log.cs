using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Caching;

internal static partial class Log
{
    [LoggerMessage(EventId = 6001, EventName = "L2OutageStarted", Level = LogLevel.Warning,
        Message = "L2 cache unavailable ({Problem}); pages are served from memory and the provider, and L2 is tried again every {BreakSeconds} s.")]
    public static partial void L2OutageStarted(ILogger logger, string problem, double breakSeconds, Exception? exception);

    [LoggerMessage(EventId = 6002, EventName = "L2OutageEnded", Level = LogLevel.Information,
        Message = "L2 cache available again after {Seconds:0.0} s ({Failures} failed call(s) during the outage).")]
    public static partial void L2OutageEnded(ILogger logger, double seconds, int failures);

    [LoggerMessage(EventId = 6003, EventName = "ServedStale", Level = LogLevel.Debug,
        Message = "Served {Count} stale experience(s) from {Provider}: the provider failed, was too slow, or is waiting to be retried.")]
    public static partial void ServedStale(ILogger logger, int count, string provider);

    [LoggerMessage(EventId = 6004, EventName = "BudgetExceeded", Level = LogLevel.Warning,
        Message = "Provider {Provider} did not answer within its {BudgetMs} ms budget; {KeyCount} experience(s) render a stale entry or their fallback. {Suppressed} similar overrun(s) not logged since the last one.")]
    public static partial void BudgetExceeded(ILogger logger, string provider, double budgetMs, int keyCount, int suppressed);
}
