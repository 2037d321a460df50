using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Http;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.MoEngage;

/// <summary>
/// Reports impressions (<c>MOE_PERSONALIZATION_MESSAGE_SHOWN</c>) and clicks (<c>_CLICKED</c>) of MoEngage experiences to
/// <c>POST {base}/v1/experiences/events</c>, grouped by user, one request per batch of at most 100 events (so never more
/// than 100 elements). The event's id is its <c>moe_event_uuid</c>, so MoEngage counts a retried event once.
/// </summary>
internal sealed class MoEngageEventsDestination : ITrackingDestination
{
    public const string HttpClientName = "ServerSidePersonalization.MoEngage.Events";
    public const string Shown = "MOE_PERSONALIZATION_MESSAGE_SHOWN";
    public const string Clicked = "MOE_PERSONALIZATION_MESSAGE_CLICKED";

    /// <summary>The custom in-session attribute that carries the visitor's UTC offset, in seconds.</summary>
    public const string TimezoneOffsetAttribute = "user_timezone_offset";
    private const string EventsPath = "v1/experiences/events";

    private readonly IHttpClientFactory _httpClients;
    private readonly MoEngageConnection _connection;
    private readonly TimeProvider _time;

    public MoEngageEventsDestination(IHttpClientFactory httpClients, IOptions<MoEngageOptions> options, TimeProvider time)
    {
        _httpClients = httpClients;
        _connection = new MoEngageConnection(options.Value);
        _time = time;
    }

    public string Name => MoEngageIdentity.Vendor;

    public int MaxBatchSize => 100;

    public bool Accepts(TrackingEvent trackingEvent) =>
        trackingEvent.Attribution is { Vendor: MoEngageIdentity.Vendor, Context.ValueKind: JsonValueKind.Object }
        && CustomerId(trackingEvent) is not null;

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken)
    {
        var body = BoundedJson.Content(CreateBody(batch), MoEngageJsonContext.Default.MoEngageEventsRequest);
        using var request = _connection.CreateRequest(EventsPath, body);
        using var response = await _httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return DeliveryResult.Delivered;
        }

        var reason = $"HTTP {status}";
        return RetryAfter.IsTransient(status)
            ? DeliveryResult.Retry(reason, RetryAfter.From(response, _time))
            : DeliveryResult.Rejected(response.StatusCode == HttpStatusCode.Unauthorized
                ? reason + ": check Personalization:MoEngage:WorkspaceId and ApiKey"
                : reason);
    }

    internal static MoEngageEventsRequest CreateBody(IReadOnlyList<TrackingEvent> batch) => new(
        [.. batch.GroupBy(e => CustomerId(e)!, StringComparer.Ordinal).Select(user => new MoEngageEventElement(
            user.Key,
            user.Select(e => TimezoneOffset(e.Attributes)).FirstOrDefault(offset => offset is not null),
            [.. user.Select(ToAction)]))]);

    /// <summary>
    /// The visitor's UTC offset in seconds, when the site supplies it as the custom attribute <c>user_timezone_offset</c>
    /// (for example from a cookie its script sets); MoEngage accepts -54000 to 54000.
    /// </summary>
    private static int? TimezoneOffset(RequestAttributes attributes) =>
        attributes.Custom.TryGetValue(TimezoneOffsetAttribute, out var text)
        && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
        && seconds is >= -54000 and <= 54000
            ? seconds
            : null;

    /// <summary>The same id the fetch used as <c>customer_id</c>: the customer, else the visitor, else MoEngage's device id.</summary>
    private static string? CustomerId(TrackingEvent trackingEvent) =>
        trackingEvent.Identity.CustomerId
        ?? trackingEvent.Identity.VisitorId
        ?? trackingEvent.Identity.Identifiers.GetValueOrDefault(MoEngageIdentity.DeviceIdCookie);

    private static MoEngageEventAction ToAction(TrackingEvent trackingEvent) => new(
        trackingEvent.Kind == TrackingEventKind.Click ? Clicked : Shown,
        trackingEvent.Id.ToString("D"),
        trackingEvent.OccurredAt.ToUnixTimeSeconds(),
        "web",
        trackingEvent is { Kind: TrackingEventKind.Click, ElementId: { } element }
            ? WithElement(trackingEvent.Attribution!.Context, element)
            : trackingEvent.Attribution!.Context);

    /// <summary>The experience context exactly as fetched, with <c>b_id</c> set to the clicked element.</summary>
    private static JsonElement WithElement(JsonElement context, string elementId)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in context.EnumerateObject())
            {
                if (property.Name != "b_id")
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteString("b_id", elementId);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
