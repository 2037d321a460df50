namespace ServerSidePersonalization.Tracking;

/// <summary>Why events were dropped; the <c>reason</c> tag of the tracking metric.</summary>
internal static class TrackingDropReason
{
    public const string QueueFull = "queue_full";
    public const string Rejected = "rejected";
    public const string RetriesExhausted = "retries_exhausted";
    public const string Shutdown = "shutdown";
    public const string DeadLettered = "dead_lettered";
    public const string Deleted = "deleted";
}
