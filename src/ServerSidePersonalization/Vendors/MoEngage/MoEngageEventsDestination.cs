using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Http;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.MoEngage;

/// <summary>
/// Reports impressions (<c>MOE_PERSONALIZATION_MESSAGE_SHOWN</c>) and clicks (<c>_CLICKED</c>) of MoEngage experiences to
/// <c>POST {base}/v1/experiences/events</c>, grouped by user, one request per batch of at most 100 events (so never more
/// than 100 elements). The element's <c>customer_id</c> is the visitor's <see cref="MoEngageUser"/> id, the one its
/// experiences were fetched for. The event's id is its <c>moe_event_uuid</c>, so MoEngage counts a retried event once.
/// When MoEngage refuses a request of several users (400), each user's element is sent again alone and only those it
/// refuses are dropped.
/// </summary>
internal sealed class MoEngageEventsDestination : ITrackingDestination
{
    public const string HttpClientName = "ServerSidePersonalization.MoEngage.Events";
    public const string Shown = "MOE_PERSONALIZATION_MESSAGE_SHOWN";
    public const string Clicked = "MOE_PERSONALIZATION_MESSAGE_CLICKED";

    /// <summary>
    /// The custom attribute that carries the visitor's UTC offset, in seconds east of UTC; an event-only attribute
    /// (the module registers it so), never sent with a fetch nor part of the cache key.
    /// </summary>
    public const string TimezoneOffsetAttribute = "user_timezone_offset";

    /// <summary>The document's range of <c>user_timezone_offset</c>: -54000 to 54000 seconds.</summary>
    public const int MaxTimezoneOffset = 54000;

    /// <summary>Real UTC offsets are whole quarter hours (UTC+05:45, UTC+12:45); anything else is not an offset in seconds.</summary>
    public const int TimezoneOffsetStep = 900;

    private const string EventsPath = "v1/experiences/events";

    private readonly IHttpClientFactory _httpClients;
    private readonly MoEngageConnection _connection;
    private readonly MoEngageOptions _options;
    private readonly string _visitorCookie;
    private readonly TimeProvider _time;
    private readonly PersonalizationMetrics _metrics;

    public MoEngageEventsDestination(
        IHttpClientFactory httpClients,
        IOptions<MoEngageOptions> options,
        IOptions<PersonalizationOptions> personalization,
        TimeProvider time,
        PersonalizationMetrics metrics)
    {
        _httpClients = httpClients;
        _connection = new MoEngageConnection(options.Value);
        _options = options.Value;
        _visitorCookie = personalization.Value.Identity.VisitorCookie;
        _time = time;
        _metrics = metrics;
    }

    public string Name => MoEngageIdentity.Vendor;

    public int MaxBatchSize => 100;

    /// <summary>
    /// MoEngage's experiences, of a visitor MoEngage may be sent (<c>customer_id</c> is mandatory here); the others are
    /// counted as skipped: <c>anonymous_visitors_skipped</c> (<c>AnonymousVisitors=Skip</c>) or <c>no_visitor_id</c>.
    /// </summary>
    public bool Accepts(TrackingEvent trackingEvent)
    {
        if (trackingEvent.Attribution is not { Vendor: MoEngageIdentity.Vendor, Context.ValueKind: JsonValueKind.Object })
        {
            return false;
        }

        var user = User(trackingEvent);
        if (user?.Id is null)
        {
            _metrics.TrackingSkipped(Name, user is null ? "anonymous_visitors_skipped" : "no_visitor_id");
            return false;
        }

        return true;
    }

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken)
    {
        var body = CreateBody(batch);
        var (status, result) = await PostAsync(body, cancellationToken).ConfigureAwait(false);

        // MoEngage refuses the whole request (400) when one element lacks a required field; a hundred users' events must
        // not go with it.
        return status == (int)HttpStatusCode.BadRequest && body.Elements.Count > 1
            ? await SplitAsync(batch, body, cancellationToken).ConfigureAwait(false)
            : result;
    }

    /// <summary>
    /// Sends each user's element of a refused request again alone, with the same <c>moe_event_uuid</c> values, so that
    /// only the elements MoEngage refuses with 400 are dropped. A transient failure ends the resend: that element and the
    /// ones not sent yet are retried, the ones accepted are not sent again; so are they when the credentials are refused
    /// (401, 403). Any other refusal (413) is not about one element, so that element and the rest are dropped together.
    /// </summary>
    private async Task<DeliveryResult> SplitAsync(IReadOnlyList<TrackingEvent> batch, MoEngageEventsRequest body, CancellationToken cancellationToken)
    {
        var eventsByUuid = batch.ToLookup(e => e.Id.ToString("D"), StringComparer.Ordinal);
        List<TrackingEvent> EventsOf(IEnumerable<MoEngageEventElement> elements) =>
            [.. elements.SelectMany(e => e.Actions).Select(a => a.EventUuid).Distinct(StringComparer.Ordinal).SelectMany(uuid => eventsByUuid[uuid])];

        var rejected = new List<DeliveryRejection>();
        for (var i = 0; i < body.Elements.Count; i++)
        {
            var element = body.Elements[i];
            (int Status, DeliveryResult Result) answer;
            try
            {
                answer = await PostAsync(new MoEngageEventsRequest([element]), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                answer = (0, DeliveryResult.Retry(ex is HttpRequestException http ? $"network error ({http.HttpRequestError})" : "timeout"));
            }

            switch (answer.Result.Outcome)
            {
                case DeliveryOutcome.Rejected when answer.Status == (int)HttpStatusCode.BadRequest:
                    rejected.Add(new DeliveryRejection(EventsOf([element]), answer.Result.Reason!));
                    break;
                case DeliveryOutcome.Rejected:
                    rejected.Add(new DeliveryRejection(EventsOf(body.Elements.Skip(i)), answer.Result.Reason!));
                    return DeliveryResult.Partial(rejected);
                case DeliveryOutcome.Retry:
                case DeliveryOutcome.Unauthorized:
                    // Credentials refused half-way: the rest is kept for a retry, where the whole batch's 401 pauses delivery.
                    return DeliveryResult.Partial(rejected, EventsOf(body.Elements.Skip(i)), answer.Result.Reason, answer.Result.RetryAfter);
            }
        }

        return DeliveryResult.Partial(rejected);
    }

    /// <summary>One request: delivered, to be retried (408, 429, 5xx) or rejected, a 400 with MoEngage's description of the problem.</summary>
    private async Task<(int Status, DeliveryResult Result)> PostAsync(MoEngageEventsRequest body, CancellationToken cancellationToken)
    {
        using var request = _connection.CreateRequest(EventsPath, BoundedJson.Content(body, MoEngageJsonContext.Default.MoEngageEventsRequest));
        using var response = await _httpClients.CreateClient(HttpClientName)
            .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return (status, DeliveryResult.Delivered);
        }

        var reason = $"HTTP {status}";
        return (status, response.StatusCode switch
        {
            _ when RetryAfter.IsTransient(status) => DeliveryResult.Retry(reason, RetryAfter.From(response, _time)),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                DeliveryResult.Unauthorized(reason + ": check Personalization:MoEngage:WorkspaceId and ApiKey"),
            HttpStatusCode.BadRequest => DeliveryResult.Rejected(reason + await DescribeErrorAsync(response, cancellationToken).ConfigureAwait(false)),
            _ => DeliveryResult.Rejected(reason),
        });
    }

    /// <summary>
    /// MoEngage's error body <c>{title, description}</c> as <c> (title): description</c>, read with a size cap, without
    /// control characters and each cut to 200 characters; empty when the body is not that.
    /// </summary>
    private static async Task<string> DescribeErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        MoEngageError? error;
        try
        {
            error = await BoundedJson.ReadAsync(response.Content, MoEngageJsonContext.Default.MoEngageError, 16 * 1024, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException)
        {
            return string.Empty;
        }

        var title = Printable(error?.Title);
        var description = Printable(error?.Description);
        return (title is null ? string.Empty : $" ({title})") + (description is null ? string.Empty : $": {description}");

        static string? Printable(string? text)
        {
            var clean = text is null ? null : string.Concat(text.Where(c => !char.IsControl(c))).Trim();
            return string.IsNullOrEmpty(clean) ? null : (clean.Length > 200 ? clean[..(char.IsHighSurrogate(clean[199]) ? 199 : 200)] : clean);
        }
    }

    private MoEngageEventsRequest CreateBody(IReadOnlyList<TrackingEvent> batch) => new(
        [.. batch.GroupBy(e => CustomerId(e)!, StringComparer.Ordinal).Select(user => new MoEngageEventElement(
            user.Key,
            user.Select(e => TimezoneOffset(e.Attributes)).FirstOrDefault(offset => offset is not null),
            [.. user.Select(ToAction)]))]);

    /// <summary>
    /// The visitor's UTC offset in seconds east of UTC (IST is 19800), when the site supplies it as the custom attribute
    /// <c>user_timezone_offset</c> (the README's script writes <c>-new Date().getTimezoneOffset() * 60</c> to a cookie);
    /// only a whole number of quarter hours within ±54000, so that JavaScript's own value (minutes, opposite sign: -330
    /// for IST) or a stray number is left out rather than reported as a wrong time zone.
    /// </summary>
    private static int? TimezoneOffset(RequestAttributes attributes) =>
        attributes.Custom.TryGetValue(TimezoneOffsetAttribute, out var text)
        && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
        && seconds is >= -MaxTimezoneOffset and <= MaxTimezoneOffset
        && seconds % TimezoneOffsetStep == 0
            ? seconds
            : null;

    /// <summary>The element's <c>customer_id</c>: the id the fetch was sent, whichever of its fields that id went in.</summary>
    private string? CustomerId(TrackingEvent trackingEvent) => User(trackingEvent)?.Id;

    private MoEngageUser? User(TrackingEvent trackingEvent) => MoEngageUser.For(trackingEvent.Identity, _options, _visitorCookie);

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
