using Microsoft.Extensions.Options;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Privacy;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization;

/// <summary>
/// The vendor-neutral settings, bound from the <c>Personalization</c> section by default. Each vendor module binds its
/// own options from its own sub-section (for example <c>Personalization:MoEngage</c>).
/// </summary>
public sealed class PersonalizationOptions
{
    /// <summary>The configuration section bound by <c>AddServerSidePersonalization()</c>.</summary>
    public const string SectionName = "Personalization";

    /// <summary>The provider used when none is configured: the embedded Local provider.</summary>
    public const string DefaultProvider = "Local";

    /// <summary>
    /// The name of the provider that decides the experiences, one registered by a vendor module (the built-in ones are
    /// <c>Local</c>, <c>MoEngage</c> and <c>DynamicYield</c>); compared without regard to case. Default <c>Local</c>.
    /// </summary>
    public string Provider { get; set; } = DefaultProvider;

    /// <summary>
    /// Experience keys fetched for every page as soon as the request arrives, in addition to those the endpoint
    /// declares. Default empty.
    /// </summary>
    public IList<string> Experiences { get; } = [];

    /// <summary>The circuit breaker in front of each provider.</summary>
    [ValidateObjectMembers]
    public ProviderBreakerOptions ProviderBreaker { get; } = new();

    /// <summary>The per-user experience cache (L1 memory, optional L2) and its fail-safe.</summary>
    [ValidateObjectMembers]
    public CacheOptions Cache { get; } = new();

    /// <summary>How impressions and clicks are queued, batched and delivered.</summary>
    [ValidateObjectMembers]
    public TrackingOptions Tracking { get; } = new();

    /// <summary>The click-redirect endpoint and its tokens.</summary>
    [ValidateObjectMembers]
    public ClickOptions Clicks { get; } = new();

    /// <summary>Where visitor, customer and session ids come from.</summary>
    [ValidateObjectMembers]
    public VisitorIdentityOptions Identity { get; } = new();

    /// <summary>The in-session attributes sent to the provider with every fetch.</summary>
    [ValidateObjectMembers]
    public RequestContextOptions Context { get; } = new();

    /// <summary>Who is personalized and tracked: consent, Global Privacy Control and bots.</summary>
    [ValidateObjectMembers]
    public PrivacyOptions Privacy { get; } = new();

    /// <summary>Whether <paramref name="name"/> is the configured provider.</summary>
    internal bool IsProvider(string name) => string.Equals(Provider, name, StringComparison.OrdinalIgnoreCase);
}
