using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Context;

internal static partial class Log
{
    [LoggerMessage(EventId = 9001, EventName = "ForwardedForNotApplied", Level = LogLevel.Warning,
        Message = "A request came through a proxy (X-Forwarded-For) from a private address that is not a known proxy, so USER_IP_ADDRESS is the proxy's address, not the visitor's. Configure ForwardedHeadersOptions (ForwardedHeaders = XForwardedFor and the proxy's network in KnownIPNetworks) and call app.UseForwardedHeaders() before UseServerSidePersonalization(). Logged once.")]
    public static partial void ForwardedForNotApplied(ILogger logger);
}
