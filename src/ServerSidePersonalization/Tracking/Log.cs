using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Tracking;

internal static partial class Log
{
    [LoggerMessage(EventId = 8001, EventName = "TrackingEventDropped", Level = LogLevel.Warning,
        Message = "Dropped a tracking event for {Destination} ({Reason}; {Queued} queued). {Suppressed} similar drop(s) not logged since the last one.")]
    public static partial void EventDropped(ILogger logger, string destination, string reason, int queued, int suppressed);

    [LoggerMessage(EventId = 8002, EventName = "TrackingBatchRejected", Level = LogLevel.Error,
        Message = "{Destination} rejected {Count} tracking event(s) ({Reason}); they are dropped, not retried.")]
    public static partial void BatchRejected(ILogger logger, int count, string destination, string? reason);

    [LoggerMessage(EventId = 8003, EventName = "TrackingRetriesExhausted", Level = LogLevel.Error,
        Message = "Gave up on {Count} tracking event(s) for {Destination} after {Attempts} attempts ({Reason}); they are dropped.")]
    public static partial void RetriesExhausted(ILogger logger, int count, string destination, int attempts, string? reason);

    [LoggerMessage(EventId = 8004, EventName = "TrackingWillRetry", Level = LogLevel.Debug,
        Message = "{Destination} delivery failed ({Reason}) on attempt {Attempt}; retrying in {DelayMs} ms.")]
    public static partial void WillRetry(ILogger logger, string destination, string? reason, int attempt, double delayMs);

    [LoggerMessage(EventId = 8005, EventName = "TrackingDroppedAtShutdown", Level = LogLevel.Error,
        Message = "The shutdown timeout ran out with {Count} tracking event(s) for {Destination} undelivered; they are dropped.")]
    public static partial void DroppedAtShutdown(ILogger logger, int count, string destination);

    [LoggerMessage(EventId = 8006, EventName = "TrackingAcceptsThrew", Level = LogLevel.Error,
        Message = "Tracking destination {Destination} threw while deciding whether to take an event; the event is dropped for it.")]
    public static partial void AcceptsThrew(ILogger logger, string destination, Exception exception);

    [LoggerMessage(EventId = 8007, EventName = "TrackingDestinationUnauthorized", Level = LogLevel.Error,
        Message = "{Destination} refused the credentials ({Reason}); its events are kept and delivery is tried again every {PauseMinutes} min until the setting is fixed.")]
    public static partial void DestinationUnauthorized(ILogger logger, string destination, string? reason, double pauseMinutes);

    [LoggerMessage(EventId = 8008, EventName = "TrackingDestinationResumed", Level = LogLevel.Information,
        Message = "{Destination} accepts the credentials again; delivery resumed.")]
    public static partial void DestinationResumed(ILogger logger, string destination);
}
