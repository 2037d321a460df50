namespace ServerSidePersonalization.Tracking;

/// <summary>What a visitor did: saw or clicked an experience, or converted.</summary>
public enum TrackingEventKind
{
    /// <summary>The experience was shown (rendered on a page).</summary>
    Impression,

    /// <summary>The visitor clicked an element of the experience.</summary>
    Click,

    /// <summary>
    /// A conversion the site reports (a purchase, a login), not tied to one experience; it carries an
    /// <see cref="IConversionEvent"/> that the vendor it is meant for knows how to send.
    /// </summary>
    Conversion,
}
