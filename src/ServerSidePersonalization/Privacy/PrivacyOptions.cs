using System.ComponentModel.DataAnnotations;

namespace ServerSidePersonalization.Privacy;

/// <summary>
/// Who is personalized and tracked: visitors without tracking consent, those who send Global Privacy Control, and bots.
/// Bound from <c>Personalization:Privacy</c>.
/// </summary>
public sealed class PrivacyOptions
{
    /// <summary>The shortest user-agent marker accepted in <see cref="BotUserAgents"/>.</summary>
    public const int MinMarkerLength = 3;

    /// <summary>The most markers either list may hold.</summary>
    public const int MaxMarkers = 1000;

    /// <summary>
    /// Whether a request carrying <c>Sec-GPC: 1</c> is treated like one without tracking consent: no cookie, no event,
    /// no id sent beyond those the request carried. Default true.
    /// </summary>
    public bool HonorGlobalPrivacyControl { get; set; } = true;

    /// <summary>
    /// Whether a visitor without consent (or with Global Privacy Control) still gets personalized content, decided from
    /// the in-session attributes and the ids the request carried; when false such a visitor gets fallback content and
    /// no provider is asked. Default true.
    /// </summary>
    public bool PersonalizeWithoutConsent { get; set; } = true;

    /// <summary>
    /// User-agent markers treated as bots in addition to the built-in list (crawlers, preview fetchers, monitors, HTTP
    /// tools); each is matched as a case-insensitive substring, at least <see cref="MinMarkerLength"/> characters.
    /// Default empty; at most <see cref="MaxMarkers"/>.
    /// </summary>
    [Length(0, MaxMarkers)]
    public IList<string> BotUserAgents { get; } = [];

    /// <summary>
    /// Markers taken out of the built-in list (and of <see cref="BotUserAgents"/>), compared without regard to case:
    /// for example <c>HeadlessChrome</c> for a site whose own end-to-end tests must be personalized. Default empty; at
    /// most <see cref="MaxMarkers"/>.
    /// </summary>
    [Length(0, MaxMarkers)]
    public IList<string> AllowedUserAgents { get; } = [];
}
