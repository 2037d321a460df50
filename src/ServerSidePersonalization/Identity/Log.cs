using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Identity;

internal static partial class Log
{
    [LoggerMessage(EventId = 1001, EventName = "IdsRejected", Level = LogLevel.Debug,
        Message = "Ignored {Count} identifier value(s) that failed validation (length or characters).")]
    public static partial void IdsRejected(ILogger logger, int count);

    [LoggerMessage(EventId = 1002, EventName = "VisitorCookieWithheld", Level = LogLevel.Debug,
        Message = "No visitor cookie issued: the request may not be tracked (no consent, Global Privacy Control, a bot), or the response has started.")]
    public static partial void VisitorCookieWithheld(ILogger logger);
}
