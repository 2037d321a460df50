using Microsoft.Extensions.Options;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tracking;
using ServerSidePersonalization.Vendors.DynamicYield;
using ServerSidePersonalization.Vendors.Local;
using ServerSidePersonalization.Vendors.MoEngage;

namespace ServerSidePersonalization;

/// <summary>
/// Everything the library reads from configuration, bound from the <c>Personalization</c> section by default.
/// </summary>
public sealed class PersonalizationOptions
{
    /// <summary>The configuration section bound by <c>AddServerSidePersonalization()</c>.</summary>
    public const string SectionName = "Personalization";

    /// <summary>Which provider decides the experiences. Default <see cref="PersonalizationProvider.Local"/>.</summary>
    public PersonalizationProvider Provider { get; set; } = PersonalizationProvider.Local;

    /// <summary>
    /// Experience keys fetched for every page as soon as the request arrives, in addition to those the endpoint
    /// declares. Default empty.
    /// </summary>
    public IList<string> Experiences { get; } = [];

    /// <summary>The embedded Local provider.</summary>
    public LocalProviderOptions Local { get; } = new();

    /// <summary>MoEngage Personalize credentials and limits.</summary>
    [ValidateObjectMembers]
    public MoEngageOptions MoEngage { get; } = new();

    /// <summary>Dynamic Yield credentials.</summary>
    public DynamicYieldOptions DynamicYield { get; } = new();

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
}
