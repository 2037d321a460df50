namespace ServerSidePersonalization.Vendors.Optimizely;

/// <summary>
/// The ODP channel actions impressions and clicks are reported as, each one of <see cref="OptimizelyOptions.ChannelActions"/>
/// (<c>Personalization:Tracking:Optimizely:Actions:Impression</c> / <c>:Click</c>).
/// </summary>
public sealed class OptimizelyActions
{
    /// <summary>The action of an impression: a delivery action. Default <c>delivery</c>.</summary>
    public string Impression { get; set; } = "delivery";

    /// <summary>The action of a click: an engagement action. Default <c>click</c>.</summary>
    public string Click { get; set; } = "click";
}
