using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Experiences;

internal static partial class Log
{
    [LoggerMessage(EventId = 2001, EventName = "ProviderThrew", Level = LogLevel.Error,
        Message = "Experience provider {Provider} threw; the page renders without its experiences.")]
    public static partial void ProviderThrew(ILogger logger, string provider, Exception exception);
}
