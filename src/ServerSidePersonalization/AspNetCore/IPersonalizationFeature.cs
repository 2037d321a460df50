using ServerSidePersonalization.Context;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;

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
    /// The visitor's experience for <paramref name="key"/>, or null when there is none, the provider failed, or it
    /// did not answer within its budget. Never throws for a vendor problem.
    /// </summary>
    ValueTask<Experience?> GetExperienceAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Starts fetching <paramref name="keys"/> in one call, without waiting, so later reads are ready sooner.</summary>
    void Prefetch(params IEnumerable<string> keys);

    /// <summary>
    /// Records that <paramref name="experience"/> was shown on this page; the tag helpers do this for what they
    /// render. Marking one experience twice records it once.
    /// </summary>
    void MarkRendered(Experience experience);

    /// <summary>The experiences marked as rendered, in the order they were first marked.</summary>
    IReadOnlyList<Experience> RenderedExperiences { get; }
}
