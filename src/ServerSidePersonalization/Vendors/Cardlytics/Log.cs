using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Vendors.Cardlytics;

internal static partial class Log
{
    [LoggerMessage(EventId = 4301, EventName = "CardlyticsNoCustomerIdKey", Level = LogLevel.Warning,
        Message = "Personalization:Tracking:Cardlytics:CustomerIdKey is not set: every Cardlytics event is sent as no-user-available, signed-in customers included.")]
    public static partial void NoCustomerIdKey(ILogger logger);

    [LoggerMessage(EventId = 4302, EventName = "CardlyticsSessionRenewed", Level = LogLevel.Debug,
        Message = "Cardlytics refused a session token with HTTP 401; a new session was started and the batch sent again.")]
    public static partial void SessionRenewed(ILogger logger);
}
