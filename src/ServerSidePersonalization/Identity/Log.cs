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

    [LoggerMessage(EventId = 1003, EventName = "HashEmailCustomerIdsIgnored", Level = LogLevel.Warning,
        Message = "Personalization:Identity:HashEmailCustomerIds is obsolete and ignored: customer ids reach each vendor as found. Set hashing per vendor (its CustomerId option) where a vendor knows users by a hashed address.")]
    public static partial void HashEmailCustomerIdsIgnored(ILogger logger);
}
