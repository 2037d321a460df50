using System.ComponentModel.DataAnnotations;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>Dynamic Yield Experience API: credentials, host, how users are identified, and how long a page waits.</summary>
public sealed class DynamicYieldOptions
{
    /// <summary>
    /// The module's name: the provider name, the identity source name, the engagement destination's name and the tracking
    /// switch (<c>Personalization:Tracking:DynamicYield</c>) its engagement and events destinations share.
    /// </summary>
    public const string Name = "DynamicYield";

    /// <summary>The configuration section the module binds, under <c>Personalization</c>.</summary>
    public const string SectionName = "DynamicYield";

    /// <summary>The server-side API key (sent as <c>DY-API-Key</c>). Never logged. Required when Dynamic Yield is used.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The API host: <c>https://dy-api.com</c> (US, the default) or <c>https://dy-api.eu</c> (EU), or a stub.</summary>
    public string BaseUrl { get; set; } = "https://dy-api.com";

    /// <summary>Campaign (selector) names served by Dynamic Yield while another provider is the main one. Default empty.</summary>
    public IList<string> Selectors { get; } = [];

    /// <summary>
    /// How users are identified to Dynamic Yield, chosen by the site: <see cref="DynamicYieldMode.Web"/> (the default,
    /// Dynamic Yield's own cookies) or <see cref="DynamicYieldMode.ApiOnly"/> (the site's own ids).
    /// </summary>
    public DynamicYieldMode Mode { get; set; } = DynamicYieldMode.Web;

    /// <summary>
    /// Which experiences count as impressions: <see cref="DynamicYieldImpressionMode.Rendered"/> (the default: those the
    /// page rendered, reported as <c>IMP</c> engagements) or <see cref="DynamicYieldImpressionMode.Implicit"/> (every
    /// choice Dynamic Yield served, counted by Dynamic Yield itself).
    /// </summary>
    public DynamicYieldImpressionMode ImpressionMode { get; set; } = DynamicYieldImpressionMode.Rendered;

    /// <summary>
    /// The request-path budget: how long a page waits for one choose call before it renders without it. Default 300 ms;
    /// 10 ms to 10 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// The limit on one HTTP call, which may go on after the page stopped waiting so that the cache keeps its answer.
    /// Default 2 s; at least <see cref="Timeout"/>, at most 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The largest choose answer read; a larger one counts as a failed call. Default 1 MiB; 1 KiB to 64 MiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long a session of <see cref="DynamicYieldMode.ApiOnly"/> mode lasts without a request before the next
    /// request starts a new one. Default 30 minutes; 1 minute to 1 day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    internal Uri ResolveBaseUrl() => new(BaseUrl.EndsWith('/') ? BaseUrl : BaseUrl + "/", UriKind.Absolute);
}
