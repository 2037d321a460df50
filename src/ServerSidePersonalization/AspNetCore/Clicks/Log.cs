using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.AspNetCore.Clicks;

// Tokens and targets are never logged: a target URL may carry personal data in its query.
internal static partial class Log
{
    [LoggerMessage(EventId = 3101, EventName = "ClickTokenRejected", Level = LogLevel.Debug,
        Message = "A click {Method} carried no valid token (missing, malformed, tampered with, expired or foreign); answered 400.")]
    public static partial void TokenRejected(ILogger logger, string method);

    [LoggerMessage(EventId = 3102, EventName = "ClickTargetRejected", Level = LogLevel.Debug,
        Message = "A click token for experience {ExperienceKey} leads to a target that is not a local path or an allowed host; answered 400.")]
    public static partial void TargetRejected(ILogger logger, string experienceKey);

    [LoggerMessage(EventId = 3103, EventName = "ClickRecorded", Level = LogLevel.Debug,
        Message = "Recorded a click on experience {ExperienceKey} (element {ElementId}).")]
    public static partial void ClickRecorded(ILogger logger, string experienceKey, string? elementId);

    [LoggerMessage(EventId = 3104, EventName = "UntrackableLink", Level = LogLevel.Warning,
        Message = "A link for experience {ExperienceKey} is not tracked: {Reason}.")]
    public static partial void UntrackableLink(ILogger logger, string experienceKey, string reason);

    // No ids: the clicking visitor's, or the hashes of the one the link was rendered for.
    [LoggerMessage(EventId = 3105, EventName = "ForeignClick", Level = LogLevel.Debug,
        Message = "A click {Method} on experience {ExperienceKey} came from a user other than the one the link was rendered for; it was answered but not reported.")]
    public static partial void ForeignClick(ILogger logger, string experienceKey, string method);

    [LoggerMessage(EventId = 3106, EventName = "ExcludedClick", Level = LogLevel.Debug,
        Message = "A click {Method} on experience {ExperienceKey} came from a request that may not be tracked ({Reason}); it was answered but not reported.")]
    public static partial void ExcludedClick(ILogger logger, string experienceKey, string method, string reason);

    // The key's id only: never anything of its secret.
    [LoggerMessage(EventId = 3107, EventName = "ClickKeyWithoutSecret", Level = LogLevel.Warning,
        Message = "Data Protection key {KeyId} exports no master secret here, so click tokens are neither signed nor verified with it.")]
    public static partial void KeyWithoutSecret(ILogger logger, Guid keyId);
}
