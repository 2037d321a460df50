namespace ServerSidePersonalization.Tracking;

/// <summary>Where one event stands with one destination, as the debug page's journal shows it.</summary>
internal enum TrackedEventStatus
{
    Queued,
    Retrying,
    Delivered,
    Dropped,
}
