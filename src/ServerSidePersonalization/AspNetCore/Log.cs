using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.AspNetCore;

internal static partial class Log
{
    [LoggerMessage(EventId = 3002, EventName = "UnsafeExperienceUrl", Level = LogLevel.Warning,
        Message = "Experience {ExperienceKey} field {Field} is not a safe link target; the link keeps its own href.")]
    public static partial void UnsafeExperienceUrl(ILogger logger, string experienceKey, string field);
}
