namespace ServerSidePersonalization.Tracking;

/// <summary>
/// A conversion (purchase, login, sign-up, a custom goal) in the form of the vendor it is meant for; that vendor's
/// destination accepts it, others ignore it. Implementations validate themselves when created, so a bad event fails in
/// the code that made it, before anything is queued.
/// </summary>
public interface IConversionEvent
{
    /// <summary>The event's display name.</summary>
    string Name { get; }
}
