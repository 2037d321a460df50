using System.ComponentModel.DataAnnotations;

namespace ServerSidePersonalization.Vendors.Local;

/// <summary>
/// The local destination, bound from <c>Personalization:Tracking:Local</c>: what the sample's statistics and tests
/// read. It is switched by <c>Personalization:Tracking:Local:Enabled</c> (default: on when the provider is Local).
/// </summary>
public sealed class LocalTrackingOptions
{
    /// <summary>
    /// A JSON-lines file the events are appended to, relative to the content root. Default null: memory only.
    /// </summary>
    public string? File { get; set; }

    /// <summary>How many recent events are kept in memory. Default 10,000; 1 to 1,000,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxEvents { get; set; } = 10_000;
}
