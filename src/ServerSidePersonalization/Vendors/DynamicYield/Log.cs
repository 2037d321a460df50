using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Vendors.DynamicYield;

internal static partial class Log
{
    [LoggerMessage(EventId = 4101, EventName = "DynamicYieldConfigurationError", Level = LogLevel.Error,
        Message = "Dynamic Yield refused the choose call with HTTP {Status}: check Personalization:DynamicYield:ApiKey (a server-side key) and BaseUrl. Pages render fallbacks. {Suppressed} similar error(s) not logged since the last one.")]
    public static partial void ConfigurationError(ILogger logger, int status, int suppressed);

    [LoggerMessage(EventId = 4102, EventName = "DynamicYieldChooseFailed", Level = LogLevel.Warning,
        Message = "Dynamic Yield choose failed: {Problem} ({Detail}); pages render fallbacks. {Suppressed} similar failure(s) not logged since the last one.")]
    public static partial void ChooseFailed(ILogger logger, string problem, string? detail, int suppressed);

    [LoggerMessage(EventId = 4103, EventName = "DynamicYieldNoUserId", Level = LogLevel.Debug,
        Message = "No Dynamic Yield choose call for a visitor without a visitor id in ApiOnly mode; the page renders fallbacks.")]
    public static partial void NoUserId(ILogger logger);
}
