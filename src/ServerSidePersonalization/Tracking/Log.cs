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

    [LoggerMessage(EventId = 8009, EventName = "TrackingOutboxAppendFailed", Level = LogLevel.Warning,
        Message = "Could not write a tracking event for {Destination} to the durable outbox ({Reason}); it is queued in memory instead. {Suppressed} similar failure(s) not logged since the last one.")]
    public static partial void OutboxAppendFailed(ILogger logger, string destination, string reason, int suppressed);

    [LoggerMessage(EventId = 8010, EventName = "TrackingOutboxDeadLettered", Level = LogLevel.Error,
        Message = "Moved tracking event {EntryId} for {Destination} to the dead-letter stream ({Reason}); it is not delivered.")]
    public static partial void OutboxDeadLettered(ILogger logger, string entryId, string destination, string reason);

    [LoggerMessage(EventId = 8011, EventName = "TrackingOutboxKeptPending", Level = LogLevel.Warning,
        Message = "{Count} tracking event(s) for {Destination} not delivered after {Attempts} attempts ({Reason}); they stay in the durable outbox and are tried again after {ClaimAfterSeconds} s.")]
    public static partial void OutboxKeptPending(ILogger logger, int count, string destination, int attempts, string? reason, double claimAfterSeconds);

    [LoggerMessage(EventId = 8012, EventName = "TrackingOutboxUnavailable", Level = LogLevel.Warning,
        Message = "The durable outbox of {Destination} could not be read or updated; trying again in {RetrySeconds} s. {Suppressed} similar failure(s) not logged since the last one.")]
    public static partial void OutboxUnavailable(ILogger logger, string destination, double retrySeconds, int suppressed, Exception exception);

    [LoggerMessage(EventId = 8013, EventName = "TrackingOutboxEntriesDeleted", Level = LogLevel.Error,
        Message = "{Count} undelivered tracking event(s) for {Destination} were deleted from the durable outbox (XDEL or XTRIM) by something other than this library; they are lost.")]
    public static partial void OutboxEntriesDeleted(ILogger logger, int count, string destination);
}
