using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ServerSidePersonalization.Privacy;

/// <summary>
/// The privacy decision for one request, made once before its identity is resolved and kept in the request's features,
/// so the identity sources, the provider cookies, the fetch and the tracking calls all obey the same answer.
/// </summary>
internal sealed class RequestPrivacy(PrivacyExclusion exclusion, bool personalizeWithoutConsent)
{
    public static RequestPrivacy Allowed { get; } = new(PrivacyExclusion.None, personalizeWithoutConsent: true);

    public PrivacyExclusion Exclusion => exclusion;

    /// <summary>True when cookies may be set, new ids issued and events reported.</summary>
    public bool CanTrack => exclusion == PrivacyExclusion.None;

    /// <summary>
    /// True when a provider may be asked: never for a bot, and for a visitor without consent only when the site
    /// personalizes such visitors.
    /// </summary>
    public bool CanFetch => exclusion switch
    {
        PrivacyExclusion.None => true,
        PrivacyExclusion.Bot => false,
        _ => personalizeWithoutConsent,
    };

    /// <summary>The exclusion as the <c>reason</c> tag and <see cref="AspNetCore.IPersonalizationFeature.ExcludedReason"/>.</summary>
    public string? Reason => ReasonOf(exclusion);

    /// <summary>
    /// Whether cookies that identify the visitor may be set on <paramref name="context"/>'s response: by this request's
    /// decision when one was made, else by ASP.NET's tracking-consent feature alone.
    /// </summary>
    public static bool AllowsCookies(HttpContext context) =>
        context.Features.Get<RequestPrivacy>() is { } privacy
            ? privacy.CanTrack
            : context.Features.Get<ITrackingConsentFeature>()?.CanTrack != false;

    public static string? ReasonOf(PrivacyExclusion exclusion) => exclusion switch
    {
        PrivacyExclusion.Bot => "bot",
        PrivacyExclusion.Consent => "consent",
        PrivacyExclusion.Gpc => "gpc",
        _ => null,
    };
}
