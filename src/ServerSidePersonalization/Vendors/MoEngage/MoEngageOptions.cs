using System.ComponentModel.DataAnnotations;

namespace ServerSidePersonalization.Vendors.MoEngage;

/// <summary>MoEngage Personalize: where the workspace lives, its credentials and how long a page waits for it.</summary>
public sealed class MoEngageOptions
{
    /// <summary>The module's name: the provider name, the destination name and the identity source name.</summary>
    public const string Name = "MoEngage";

    /// <summary>The configuration section the module binds, under <c>Personalization</c>.</summary>
    public const string SectionName = "MoEngage";

    /// <summary>The data centers MoEngage hosts workspaces in.</summary>
    public static readonly IReadOnlyList<string> DataCenters = ["01", "02", "03", "04", "05", "06", "101"];

    /// <summary>
    /// The workspace's data center, <c>01</c> to <c>06</c> or <c>101</c>; the API is then
    /// <c>https://sdk-{DataCenter}.moengage.com</c>. No default: set it or <see cref="BaseUrl"/>.
    /// </summary>
    public string? DataCenter { get; set; }

    /// <summary>An explicit API base URL (a proxy, a test stub); overrides <see cref="DataCenter"/>. Default null.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The Workspace ID (sent as the Basic user name and as <c>MOE-APPKEY</c>).</summary>
    public string? WorkspaceId { get; set; }

    /// <summary>The Personalize API key (the Basic password). Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Whether visitors who are not signed in are fetched for and reported: <see cref="MoEngageAnonymousVisitors.Send"/>
    /// (the default; by <c>moe_uuid</c>, else the site's visitor id) or <see cref="MoEngageAnonymousVisitors.Skip"/>
    /// (fallbacks, no call, no event). Every anonymous id reported becomes a user of the workspace.
    /// </summary>
    public MoEngageAnonymousVisitors AnonymousVisitors { get; set; } = MoEngageAnonymousVisitors.Send;

    /// <summary>
    /// How a signed-in customer's id is sent: <see cref="MoEngageCustomerId.AsIs"/> (the default: unchanged, an email
    /// address included, as MoEngage knows the user) or <see cref="MoEngageCustomerId.Sha256"/> (an email address as its
    /// SHA-256). The same for fetches and events.
    /// </summary>
    public MoEngageCustomerId CustomerId { get; set; } = MoEngageCustomerId.AsIs;

    /// <summary>
    /// The request-path budget: how long a page waits for one fetch before it renders without it. Default 300 ms;
    /// 10 ms to 10 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// The limit on one HTTP call, which may go on after the page stopped waiting so that a cache can keep its answer.
    /// Default 2 s; at least <see cref="Timeout"/>, at most 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The largest fetch answer read; a larger one counts as a failed fetch. Default 1 MiB; 1 KiB to 64 MiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    internal Uri ResolveBaseUrl()
    {
        var url = string.IsNullOrWhiteSpace(BaseUrl) ? $"https://sdk-{DataCenter}.moengage.com/" : BaseUrl;
        return new Uri(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);
    }
}
