using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Http;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.Cardlytics;

/// <summary>
/// Reports Cardlytics ads to <c>POST {base}/v2/events/clientEvent</c>: a rendered experience with a serve token as
/// <c>AdImpression</c>/<c>AdViewableImpression</c>, a click on it as <c>AdInteraction</c> with the offer action its link
/// names (or <see cref="CardlyticsOptions.ClickEvent"/>), and the <see cref="CardlyticsClientEvent"/>s the site tracks.
/// Each request is for one source customer id, with the bearer token of a session started for that id
/// (<c>POST {base}/v2/session/startSession</c>) and kept for less than its life; a 401 renews the session once and sends
/// the same events (same <c>clientEventId</c>s) again. 401/403 after that, or from <c>startSession</c>, name the
/// credentials to check; 408, 429 and 5xx are retried; any other answer rejects that customer's events.
/// </summary>
internal sealed class CardlyticsEventsDestination : ITrackingDestination
{
    public const string HttpClientName = "ServerSidePersonalization.Cardlytics";
    public const string SourceCustomerIdHeader = "x-source-customer-id";

    private const string StartSessionPath = "v2/session/startSession";
    private const string ClientEventPath = "v2/events/clientEvent";
    private const string CheckCredentials = ": check Personalization:Tracking:Cardlytics:ClientId and Secret";
    private const int MaxSessionAnswerBytes = 64 * 1024;

    private readonly IHttpClientFactory _httpClients;
    private readonly CardlyticsOptions _options;
    private readonly TimeProvider _time;
    private readonly PersonalizationMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CardlyticsCustomer _customer;
    private readonly Uri _startSession;
    private readonly Uri _clientEvent;

    public CardlyticsEventsDestination(
        IHttpClientFactory httpClients,
        IOptions<CardlyticsOptions> options,
        TimeProvider time,
        PersonalizationMetrics metrics,
        ILogger<CardlyticsEventsDestination> logger)
    {
        _httpClients = httpClients;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _customer = new CardlyticsCustomer(_options.CustomerIdKey);
        Sessions = new CardlyticsSessions(_options, time);
        _startSession = new Uri(_options.ResolveBaseUrl(), StartSessionPath);
        _clientEvent = new Uri(_options.ResolveBaseUrl(), ClientEventPath);

        // The destination is built once, when tracking starts: this is the start-up warning.
        if (string.IsNullOrEmpty(_options.CustomerIdKey))
        {
            Log.NoCustomerIdKey(logger);
        }
    }

    public string Name => CardlyticsOptions.Name;

    /// <summary>The document sets no limit; a hundred events keep a request small.</summary>
    public int MaxBatchSize => 100;

    internal CardlyticsSessions Sessions { get; }

    /// <summary>
    /// The site's own client events; impressions of experiences that carry a serve token (the others are not Cardlytics
    /// ads); clicks on them whose link names an offer action, or with <see cref="CardlyticsOptions.ClickEvent"/> set
    /// (otherwise counted as skipped, <c>no_click_event</c>).
    /// </summary>
    public bool Accepts(TrackingEvent trackingEvent)
    {
        switch (trackingEvent.Kind)
        {
            case TrackingEventKind.Conversion:
                return trackingEvent.Conversion is CardlyticsClientEvent;
            case TrackingEventKind.Impression:
                return ServeToken(trackingEvent) is not null;
            case TrackingEventKind.Click when ServeToken(trackingEvent) is not null:
                if (ClickEvent(trackingEvent) is null)
                {
                    _metrics.TrackingSkipped(Name, "no_click_event");
                    return false;
                }

                return true;
            default:
                return false;
        }
    }

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken)
    {
        var customers = batch.GroupBy(e => _customer.SourceId(e.Identity), StringComparer.Ordinal).ToList();
        var rejected = new List<DeliveryRejection>();
        for (var i = 0; i < customers.Count; i++)
        {
            var result = await SendAsync(customers[i].Key, [.. customers[i]], cancellationToken).ConfigureAwait(false);
            if (customers.Count == 1)
            {
                return result;
            }

            switch (result.Outcome)
            {
                case DeliveryOutcome.Rejected:
                    rejected.Add(new DeliveryRejection([.. customers[i]], result.Reason!));
                    break;
                case DeliveryOutcome.Retry:
                    return DeliveryResult.Partial(rejected, [.. customers.Skip(i).SelectMany(c => c)], result.Reason, result.RetryAfter);
                case DeliveryOutcome.Unauthorized:
                    // The credentials, not this customer: the whole batch waits (the events already accepted carry
                    // their clientEventId again).
                    return result;
            }
        }

        return DeliveryResult.Partial(rejected);
    }

    /// <summary>One customer's events, with a session renewed once when Cardlytics answers 401.</summary>
    private async Task<DeliveryResult> SendAsync(string sourceId, List<TrackingEvent> events, CancellationToken cancellationToken)
    {
        var body = new CardlyticsClientEventsRequest([.. events.Select(ToMessage)]);
        for (var renewed = false; ; renewed = true)
        {
            var token = Sessions.Get(sourceId);
            if (token is null)
            {
                var (started, failure) = await StartSessionAsync(sourceId, cancellationToken).ConfigureAwait(false);
                if (started is null)
                {
                    return failure;
                }

                token = started;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, _clientEvent)
            {
                Content = BoundedJson.Content(body, CardlyticsJsonContext.Default.CardlyticsClientEventsRequest),
            };
            request.Headers.Authorization = new("Bearer", token);
            request.Headers.TryAddWithoutValidation(SourceCustomerIdHeader, sourceId);
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status == 401 && !renewed)
            {
                Sessions.Remove(sourceId, token);
                Log.SessionRenewed(_logger);
                continue;
            }

            return Map(response, status, "clientEvent");
        }
    }

    private async Task<(string? Token, DeliveryResult Failure)> StartSessionAsync(string sourceId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _startSession)
        {
            Content = BoundedJson.Content(
                new CardlyticsStartSessionRequest(_options.ClientId!, _options.Secret!), CardlyticsJsonContext.Default.CardlyticsStartSessionRequest),
        };
        request.Headers.TryAddWithoutValidation(SourceCustomerIdHeader, sourceId);
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return (null, Map(response, (int)response.StatusCode, "startSession"));
        }

        string? token;
        try
        {
            token = (await BoundedJson.ReadAsync(
                response.Content, CardlyticsJsonContext.Default.CardlyticsStartSessionResponse, MaxSessionAnswerBytes, cancellationToken).ConfigureAwait(false))?.Bearer;
        }
        catch (Exception ex) when (ex is JsonException or ResponseTooLargeException)
        {
            token = null;
        }

        if (string.IsNullOrEmpty(token))
        {
            return (null, DeliveryResult.Retry("startSession answered without a session token"));
        }

        Sessions.Set(sourceId, token);
        return (token, default);
    }

    private DeliveryResult Map(HttpResponseMessage response, int status, string call) =>
        response.IsSuccessStatusCode ? DeliveryResult.Delivered
        : status is 401 or 403 ? DeliveryResult.Unauthorized($"HTTP {status} from {call}{CheckCredentials}")
        : RetryAfter.IsTransient(status) ? DeliveryResult.Retry($"HTTP {status} from {call}", RetryAfter.From(response, _time))
        : DeliveryResult.Rejected($"HTTP {status} from {call}");

    private HttpClient Client => _httpClients.CreateClient(HttpClientName);

    private CardlyticsClientEventMessage ToMessage(TrackingEvent trackingEvent)
    {
        var (type, clientEvent, metadata) = trackingEvent.Conversion is CardlyticsClientEvent own
            ? (own.Type, own.ClientEvent, own.ServeToken is { } token ? Metadata(token, own.DisplayPosition, own.Section) : null)
            : trackingEvent.Kind == TrackingEventKind.Click
                ? (CardlyticsEventNames.AdInteraction, ClickEvent(trackingEvent)!, Metadata(ServeToken(trackingEvent)!, DisplayPosition(trackingEvent), null))
                : (CardlyticsEventNames.AdImpression, CardlyticsEventNames.AdViewableImpression, Metadata(ServeToken(trackingEvent)!, DisplayPosition(trackingEvent), null));
        return new CardlyticsClientEventMessage(
            trackingEvent.Id.ToString("D"),
            type,
            clientEvent,
            trackingEvent.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            metadata);
    }

    private CardlyticsEventMetadata Metadata(string serveToken, int? displayPosition, string? section) =>
        new(serveToken, section ?? _options.Section!, _options.Channel, displayPosition);

    /// <summary>The link's offer action when it is one of Cardlytics'; the configured default when it names none.</summary>
    private string? ClickEvent(TrackingEvent trackingEvent) => trackingEvent.Action switch
    {
        null => _options.ClickEvent,
        var action when CardlyticsEventNames.OfferActions.Contains(action) => action,
        _ => null,
    };

    private string? ServeToken(TrackingEvent trackingEvent) => Field(trackingEvent, _options.ServeTokenField);

    private int? DisplayPosition(TrackingEvent trackingEvent) =>
        int.TryParse(Field(trackingEvent, _options.DisplayPositionField), NumberStyles.None, CultureInfo.InvariantCulture, out var position) ? position : null;

    /// <summary>A field of the experience's payload (reported with the event), else of its attribution.</summary>
    private static string? Field(TrackingEvent trackingEvent, string name) =>
        trackingEvent.Fields.TryGetValue(name, out var value) && value.Length > 0 ? value
        : trackingEvent.Attribution is { } attribution ? AttributionFields.String(attribution, name)
        : null;
}
