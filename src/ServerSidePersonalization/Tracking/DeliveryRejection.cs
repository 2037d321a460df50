namespace ServerSidePersonalization.Tracking;

/// <summary>Events of a batch that a destination refused for good, for one reason (part of a <see cref="DeliveryResult.Partial"/> result).</summary>
/// <param name="Events">The refused events.</param>
/// <param name="Reason">A short reason for logs (an HTTP status, the vendor's error description); never secrets or personal data.</param>
public sealed record DeliveryRejection(IReadOnlyList<TrackingEvent> Events, string Reason);
