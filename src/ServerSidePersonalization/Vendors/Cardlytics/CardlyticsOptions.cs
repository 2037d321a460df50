using System.ComponentModel.DataAnnotations;

namespace ServerSidePersonalization.Vendors.Cardlytics;

/// <summary>
/// Cardlytics Publisher Rewards client events: the credentials a session is started with, where the API is, the ad's
/// section and channel, and where a serve token is found. Bound from <c>Personalization:Tracking:Cardlytics</c>; setting
/// <see cref="ClientId"/> (with <see cref="Secret"/>) turns the destination on.
/// </summary>
public sealed class CardlyticsOptions
{
    /// <summary>The module's name: the destination name and the switch name.</summary>
    public const string Name = "Cardlytics";

    /// <summary>The configuration section the module binds, under <c>Personalization</c>.</summary>
    public const string SectionName = "Tracking:Cardlytics";

    /// <summary>The default API host.</summary>
    public const string DefaultBaseUrl = "https://publisher-rewards-api.cardlytics.com";

    /// <summary>The client id Cardlytics issued, sent to <c>startSession</c>. Setting it turns the destination on.</summary>
    public string? ClientId { get; set; }

    /// <summary>The secret Cardlytics shared, sent to <c>startSession</c> only. Never logged.</summary>
    public string? Secret { get; set; }

    /// <summary>The API host; default <c>https://publisher-rewards-api.cardlytics.com</c> (a stub in tests).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The <c>section</c> of every ad event's metadata (where on the site the ads are, such as <c>LatestOffers</c>); required.</summary>
    public string? Section { get; set; }

    /// <summary>The <c>channel</c> of every ad event's metadata. Default <c>OLB</c> (online banking).</summary>
    public string Channel { get; set; } = "OLB";

    /// <summary>
    /// The key of the HMAC-SHA-256 that turns a signed-in customer's id into <c>x-source-customer-id</c>; optional.
    /// Without it every event goes as <c>no-user-available</c> (one warning at start-up says so). Never logged.
    /// </summary>
    public string? CustomerIdKey { get; set; }

    /// <summary>
    /// The experience's payload field, or else its attribution's field, that holds the ad's <c>serveToken</c>. Default
    /// <c>serveToken</c>. An experience without one is not a Cardlytics ad and is not reported.
    /// </summary>
    public string ServeTokenField { get; set; } = "serveToken";

    /// <summary>The payload (or attribution) field with the ad's zero-based <c>displayPosition</c>, when the page gives one. Default <c>displayPosition</c>.</summary>
    public string DisplayPositionField { get; set; } = "displayPosition";

    /// <summary>
    /// The <c>AdInteraction</c> event a tracked link that names none reports (<c>ActivateOffer</c>, <c>ParkOffer</c> or
    /// <c>UnParkOffer</c>). Default null: such a click is not reported, since each of these changes the offer's state.
    /// </summary>
    public string? ClickEvent { get; set; }

    /// <summary>
    /// How long a session token is used: less than its 15-minute life, so that it is renewed before it expires.
    /// Default 14 min; 1 min to 14 min 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "00:14:30")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(14);

    /// <summary>The most session tokens kept (one per source customer id); the oldest goes first. Default 10,000; 1 to 1,000,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxSessions { get; set; } = 10_000;

    /// <summary>The limit on one HTTP call. Default 10 s; 1 s to 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal Uri ResolveBaseUrl() => Http.VendorUrl.Base(BaseUrl, DefaultBaseUrl);
}
