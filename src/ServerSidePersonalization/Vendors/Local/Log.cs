using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Vendors.Local;

internal static partial class Log
{
    [LoggerMessage(EventId = 5001, EventName = "LocalExperiencesLoaded", Level = LogLevel.Information,
        Message = "Loaded {Count} local experience(s) from {Path}.")]
    public static partial void Loaded(ILogger logger, int count, string path);

    [LoggerMessage(EventId = 5002, EventName = "LocalExperiencesReloadFailed", Level = LogLevel.Error,
        Message = "Could not reload {Path}; keeping the experiences loaded before.")]
    public static partial void ReloadFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 5003, EventName = "NoLocalExperiencesFile", Level = LogLevel.Information,
        Message = "No {File} in the content root and Personalization:Local:File is not set: the Local provider has no experiences.")]
    public static partial void NoExperiencesFile(ILogger logger, string file);
}
