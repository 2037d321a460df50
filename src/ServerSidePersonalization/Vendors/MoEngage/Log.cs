using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Vendors.MoEngage;

internal static partial class Log
{
    [LoggerMessage(EventId = 4001, EventName = "MoEngageConfigurationError", Level = LogLevel.Error,
        Message = "MoEngage refused the fetch with HTTP {Status} ({Title}): check Personalization:MoEngage:WorkspaceId, ApiKey and DataCenter. Pages render fallbacks. {Suppressed} similar error(s) not logged since the last one.")]
    public static partial void ConfigurationError(ILogger logger, int status, string? title, int suppressed);

    [LoggerMessage(EventId = 4002, EventName = "MoEngageFetchFailed", Level = LogLevel.Warning,
        Message = "MoEngage fetch failed: {Problem} ({Detail}); pages render fallbacks. {Suppressed} similar failure(s) not logged since the last one.")]
    public static partial void FetchFailed(ILogger logger, string problem, string? detail, int suppressed);
}
