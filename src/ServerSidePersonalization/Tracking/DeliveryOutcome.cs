namespace ServerSidePersonalization.Tracking;

/// <summary>The outcome of a delivery attempt.</summary>
public enum DeliveryOutcome
{
    /// <summary>Accepted by the destination.</summary>
    Delivered,

    /// <summary>Worth trying again.</summary>
    Retry,

    /// <summary>Refused for good.</summary>
    Rejected,

    /// <summary>Some events accepted, some refused for good, some to try again (<see cref="DeliveryResult.Partial"/>).</summary>
    Partial,

    /// <summary>
    /// The destination refused the credentials (401, 403): sending again cannot help until someone fixes a setting, so
    /// the destination pauses for <see cref="TrackingOptions.AuthFailurePause"/> and keeps its events (<see cref="DeliveryResult.Unauthorized"/>).
    /// </summary>
    Unauthorized,
}
