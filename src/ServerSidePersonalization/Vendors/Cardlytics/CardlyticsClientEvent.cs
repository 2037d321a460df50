using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.Cardlytics;

/// <summary>
/// A Cardlytics client event the site reports itself, passed to <c>HttpContext.GetPersonalization().TrackConversion(...)</c>:
/// a viewable impression the browser confirmed, an offer interaction, a session or profile action. Each factory
/// validates its arguments, so a bad event throws an <see cref="ArgumentException"/> in the code that made it, before
/// anything is queued. Rendered ads and tracked links are reported without any call.
/// </summary>
public sealed class CardlyticsClientEvent : IConversionEvent
{
    private CardlyticsClientEvent(string type, string clientEvent, string? serveToken, int? displayPosition, string? section)
    {
        Type = type;
        ClientEvent = clientEvent;
        ServeToken = serveToken;
        DisplayPosition = displayPosition;
        Section = section;
    }

    /// <summary>The <c>clientEventType</c>, such as <c>AdImpression</c> or <c>SessionAction</c>.</summary>
    public string Type { get; }

    /// <summary>The <c>clientEvent</c>, such as <c>AdViewableImpression</c> or <c>LogEnrollment</c>.</summary>
    public string ClientEvent { get; }

    /// <summary>For ad events, the ad's serve token; null for session and profile actions.</summary>
    public string? ServeToken { get; }

    /// <summary>For ad events, the ad's zero-based position in its list, when known.</summary>
    public int? DisplayPosition { get; }

    /// <summary>For ad events, the section; null for the configured <c>Section</c>.</summary>
    public string? Section { get; }

    /// <inheritdoc />
    public string Name => ClientEvent;

    /// <summary>An ad came into view (<c>AdImpression</c> / <c>AdViewableImpression</c>), as the browser confirmed it.</summary>
    /// <param name="serveToken">The ad's serve token.</param>
    /// <param name="displayPosition">Its zero-based position, when known.</param>
    /// <param name="section">Its section; null for the configured one.</param>
    public static CardlyticsClientEvent AdViewableImpression(string serveToken, int? displayPosition = null, string? section = null) =>
        Ad(CardlyticsEventNames.AdImpression, CardlyticsEventNames.AdViewableImpression, serveToken, displayPosition, section);

    /// <summary>
    /// The customer acted on the ad's offer (<c>AdInteraction</c>): <c>ActivateOffer</c>, <c>ParkOffer</c> or
    /// <c>UnParkOffer</c>.
    /// </summary>
    /// <param name="offerAction">One of the three offer actions.</param>
    /// <param name="serveToken">The ad's serve token.</param>
    /// <param name="displayPosition">Its zero-based position, when known.</param>
    /// <param name="section">Its section; null for the configured one.</param>
    public static CardlyticsClientEvent AdInteraction(string offerAction, string serveToken, int? displayPosition = null, string? section = null)
    {
        if (!CardlyticsEventNames.OfferActions.Contains(offerAction))
        {
            throw new ArgumentException(
                $"offerAction must be one of {string.Join(", ", CardlyticsEventNames.OfferActions)}.", nameof(offerAction));
        }

        return Ad(CardlyticsEventNames.AdInteraction, offerAction, serveToken, displayPosition, section);
    }

    /// <summary>A session action (<c>SessionAction</c>), such as <c>LogEnrollment</c> or <c>RewardSummaryLinkClicked</c>.</summary>
    /// <param name="clientEvent">The action's name: PascalCase letters and digits, at most 64.</param>
    public static CardlyticsClientEvent SessionAction(string clientEvent) => Action(CardlyticsEventNames.SessionAction, clientEvent);

    /// <summary>A customer profile action (<c>CustomerProfileAction</c>), such as <c>ExpandRedemption</c>.</summary>
    /// <param name="clientEvent">The action's name: PascalCase letters and digits, at most 64.</param>
    public static CardlyticsClientEvent CustomerProfileAction(string clientEvent) => Action(CardlyticsEventNames.CustomerProfileAction, clientEvent);

    private static CardlyticsClientEvent Ad(string type, string clientEvent, string serveToken, int? displayPosition, string? section)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serveToken);
        if (displayPosition < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(displayPosition), "displayPosition is zero-based and may not be negative.");
        }

        if (section is not null && string.IsNullOrWhiteSpace(section))
        {
            throw new ArgumentException("section must not be empty; pass null for the configured one.", nameof(section));
        }

        return new(type, clientEvent, serveToken, displayPosition, section);
    }

    private static CardlyticsClientEvent Action(string type, string clientEvent)
    {
        if (!CardlyticsEventNames.IsEventName(clientEvent))
        {
            throw new ArgumentException("clientEvent must be a PascalCase name of letters and digits, at most 64.", nameof(clientEvent));
        }

        return new(type, clientEvent, null, null, null);
    }
}
