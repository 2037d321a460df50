namespace ServerSidePersonalization.Tracking;

/// <summary>
/// Turns one destination on or off: named options, bound for each destination from
/// <c>Personalization:Tracking:{destination}</c> (for example <c>Personalization:Tracking:MoEngage:Enabled</c>).
/// </summary>
public sealed class TrackingDestinationOptions
{
    /// <summary>
    /// Whether events go to this destination. Default (null): on when the destination's vendor is the configured
    /// provider (or otherwise decides experiences for the site), off otherwise.
    /// </summary>
    public bool? Enabled { get; set; }
}
