using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.AspNetCore.Previews;

internal static partial class Log
{
    [LoggerMessage(EventId = 3701, EventName = "PreviewIgnored", Level = LogLevel.Debug,
        Message = "A pz-preview value was ignored: {Reason}; the page shows the ordinary experiences.")]
    public static partial void PreviewIgnored(ILogger logger, string reason);

    [LoggerMessage(EventId = 3702, EventName = "PreviewNotSupported", Level = LogLevel.Debug,
        Message = "No preview of experience {ExperienceKey}: provider {Provider} cannot serve a chosen variation; the page shows its ordinary variation.")]
    public static partial void PreviewNotSupported(ILogger logger, string experienceKey, string provider);

    [LoggerMessage(EventId = 3703, EventName = "PreviewVariationUnknown", Level = LogLevel.Debug,
        Message = "No preview of experience {ExperienceKey}: provider {Provider} has no such variation; the page shows its ordinary variation.")]
    public static partial void PreviewVariationUnknown(ILogger logger, string experienceKey, string provider);
}
