namespace ServerSidePersonalization.Vendors.Cardlytics;

/// <summary>The client event types and events of Cardlytics' "Capture customer activity" document.</summary>
internal static class CardlyticsEventNames
{
    public const string AdImpression = "AdImpression";
    public const string AdViewableImpression = "AdViewableImpression";
    public const string AdInteraction = "AdInteraction";
    public const string SessionAction = "SessionAction";
    public const string CustomerProfileAction = "CustomerProfileAction";

    /// <summary>The <c>AdInteraction</c> events: each moves the offer to another state (ACTIVATED, hidden, shown again).</summary>
    public static readonly IReadOnlyList<string> OfferActions = ["ActivateOffer", "ParkOffer", "UnParkOffer"];

    /// <summary>The <c>AdImpression</c> events.</summary>
    public static readonly IReadOnlyList<string> ImpressionEvents = [AdImpression, AdViewableImpression];

    /// <summary>Event names are PascalCase words (<c>LogEnrollment</c>, <c>ExpandRedemption</c>): ASCII letters and digits, at most 64.</summary>
    public static bool IsEventName(string? name) =>
        name is { Length: > 0 and <= 64 } && char.IsAsciiLetterUpper(name[0]) && name.All(char.IsAsciiLetterOrDigit);
}
