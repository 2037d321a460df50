using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Privacy;

internal static partial class Log
{
    // No user agent, no ids: the reason is enough to explain why a page showed fallback content or sent nothing.
    [LoggerMessage(EventId = 10001, EventName = "RequestExcluded", Level = LogLevel.Debug,
        Message = "Request excluded from tracking ({Reason}): no cookie, no event, no new id.")]
    public static partial void RequestExcluded(ILogger logger, string reason);
}
