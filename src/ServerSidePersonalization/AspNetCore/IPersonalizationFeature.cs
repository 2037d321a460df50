using ServerSidePersonalization.Context;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// Personalization for one request, from <c>HttpContext.GetPersonalization()</c>: who the visitor is and which
/// experiences they get. Each key is fetched at most once per request.
/// </summary>
public interface IPersonalizationFeature
{
    /// <summary>The visitor's ids.</summary>
    VisitorIdentity Identity { get; }

    /// <summary>The in-session attributes sent to the provider.</summary>
    RequestAttributes Attributes { get; }

    /// <summary>
    /// False when this request may not be tracked (a bot, consent needed and not given, or <c>Sec-GPC: 1</c>): no
    /// cookie is issued, no event is reported and no new id reaches a vendor. Also false for a QA preview, which reports
    /// no event and sets no vendor cookie.
    /// </summary>
    bool CanTrack { get; }

    /// <summary>Why the request may not be tracked (<c>bot</c>, <c>consent</c>, <c>gpc</c> or <c>preview</c>), or null when it may.</summary>
    string? ExcludedReason { get; }

    /// <summary>
    /// The visitor's experience for <paramref name="key"/>, or null when there is none, the provider failed, it did not
    /// answer within its budget, or no provider may be asked (a bot; a visitor without consent where the site does not
    /// personalize such visitors). Never throws for a vendor problem.
    /// </summary>
    ValueTask<Experience?> GetExperienceAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Starts fetching <paramref name="keys"/> in one call, without waiting, so later reads are ready sooner.</summary>
    void Prefetch(params IEnumerable<string> keys);

    /// <summary>
    /// Records that <paramref name="experience"/> was shown on this page: once the response is produced, one impression
    /// is reported for it. The tag helpers call this for what they render; code that renders an experience some other
    /// way calls it itself. An experience tracked twice on one page view is reported once.
    /// </summary>
    void TrackImpression(Experience experience);

    /// <summary>
    /// Reports a click on <paramref name="experience"/> now (in the background). Links rendered with
    /// <c>experience-click</c> are reported by the click endpoint and need no call.
    /// </summary>
    /// <param name="experience">The experience clicked.</param>
    /// <param name="elementId">Which element was clicked (MoEngage's <c>b_id</c>).</param>
    /// <param name="slotId">For a recommendation, Dynamic Yield's slot id of the item clicked.</param>
    /// <param name="action">
    /// What the click does, for destinations that report it (Cardlytics' <c>ActivateOffer</c>, say): letters, digits,
    /// <c>_</c>, <c>-</c> and <c>.</c>, at most 64; null for a plain click.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="action"/> is not such a name.</exception>
    void TrackClick(Experience experience, string? elementId = null, string? slotId = null, string? action = null);

    /// <summary>
    /// Reports a conversion (a purchase, a login, a custom goal) for this visitor now (in the background), to the
    /// destination of the vendor the event's type belongs to. The event validated itself when it was created.
    /// </summary>
    void TrackConversion(IConversionEvent conversion);

    /// <summary>The experiences tracked as shown on this page view, in the order they were first tracked.</summary>
    IReadOnlyList<Experience> RenderedExperiences { get; }
}
