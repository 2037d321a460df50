using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Experiences;

/// <summary>What a provider is asked: which experiences, for whom, in which context.</summary>
public sealed class ExperienceRequest
{
    /// <summary>Creates a request.</summary>
    public ExperienceRequest(VisitorIdentity identity, IReadOnlyList<string> keys, RequestAttributes attributes, PageContext? page = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(attributes);
        Identity = identity;
        Keys = keys;
        Attributes = attributes;
        Page = page ?? PageContext.Unknown;
    }

    /// <summary>The visitor.</summary>
    public VisitorIdentity Identity { get; }

    /// <summary>The experience keys wanted; distinct.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The in-session attributes.</summary>
    public RequestAttributes Attributes { get; }

    /// <summary>The page the experiences are for.</summary>
    public PageContext Page { get; }

    /// <summary>
    /// False when the visitor may not be tracked (no consent, Global Privacy Control): the provider sends only the ids
    /// the request carried and neither creates nor remembers new ones for this visitor. Default true.
    /// </summary>
    public bool CanTrack { get; init; } = true;

    /// <summary>
    /// True for a QA preview: the visitor's cache entries are neither read nor written, every key goes to the provider.
    /// </summary>
    internal bool BypassCache { get; init; }

    /// <summary>Where each key's answer came from, recorded for the debug page; null (nothing recorded) otherwise.</summary>
    internal ExperienceOrigins? Origins { get; init; }

    /// <summary>The same request for other keys.</summary>
    internal ExperienceRequest WithKeys(IReadOnlyList<string> keys) =>
        new(Identity, keys, Attributes, Page) { CanTrack = CanTrack, BypassCache = BypassCache, Origins = Origins };
}
