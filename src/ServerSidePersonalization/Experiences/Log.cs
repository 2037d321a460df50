using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Experiences;

internal static partial class Log
{
    [LoggerMessage(EventId = 2001, EventName = "ProviderThrew", Level = LogLevel.Error,
        Message = "Experience provider {Provider} threw; the page renders without its experiences.")]
    public static partial void ProviderThrew(ILogger logger, string provider, Exception exception);

    [LoggerMessage(EventId = 2002, EventName = "ProviderBreakerOpened", Level = LogLevel.Warning,
        Message = "Experience provider {Provider} is failing ({Problem}); pages skip it for {BreakSeconds} s and render stale entries or their fallback, then one fetch tries it again.")]
    public static partial void ProviderBreakerOpened(ILogger logger, string provider, string problem, double breakSeconds);

    [LoggerMessage(EventId = 2003, EventName = "ProviderBreakerClosed", Level = LogLevel.Information,
        Message = "Experience provider {Provider} answers again; pages use it as before.")]
    public static partial void ProviderBreakerClosed(ILogger logger, string provider);

    [LoggerMessage(EventId = 2004, EventName = "ProviderTimedOut", Level = LogLevel.Debug,
        Message = "A fetch from experience provider {Provider} ran out of its attempt timeout and was cancelled.")]
    public static partial void ProviderTimedOut(ILogger logger, string provider);
}
