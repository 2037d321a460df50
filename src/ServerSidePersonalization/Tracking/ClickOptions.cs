using System.ComponentModel.DataAnnotations;

namespace ServerSidePersonalization.Tracking;

/// <summary>The click-redirect endpoint mapped by <c>app.MapPersonalizationClicks()</c>.</summary>
public sealed class ClickOptions
{
    /// <summary>The endpoint's path. Default <c>/_personalization/click</c>.</summary>
    [Required]
    [RegularExpression("^/[A-Za-z0-9_./-]*$")]
    public string Path { get; set; } = "/_personalization/click";

    /// <summary>
    /// Hosts a tracked link may lead to besides local paths (exact names, or <c>*.example.com</c> for subdomains).
    /// Default empty: local paths only.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>How long a tracked link stays valid. Default 7 days; 1 minute to 400 days.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "400.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(7);
}
