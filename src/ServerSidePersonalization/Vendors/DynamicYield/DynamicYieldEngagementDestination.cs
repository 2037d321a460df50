using Microsoft.Extensions.Options;
using ServerSidePersonalization.Http;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>
/// Reports clicks to <c>POST {base}/v2/collect/user/engagement</c>: a <c>SLOT_CLICK</c> for a click on a
/// recommendation slot, a <c>CLICK</c> for a click on a choice with a <c>decisionId</c>. Impressions are not sent
/// (Dynamic Yield counts a variation as served when it answers the choose call).
/// </summary>
internal sealed class DynamicYieldEngagementDestination : ITrackingDestination
{
    public const string HttpClientName = "ServerSidePersonalization.DynamicYield";

    /// <summary>
    /// A report has no page waiting on it, but a hung call holds up every later one of the queue, so it gets a bound
    /// well under HttpClient's 100 s.
    /// </summary>
    public static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(10);
    public const string ApiKeyHeader = "DY-API-Key";
    private const string EngagementPath = "v2/collect/user/engagement";

    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;
    private readonly Uri _endpoint;
    private readonly string _apiKey;

    public DynamicYieldEngagementDestination(IHttpClientFactory httpClients, IOptions<DynamicYieldOptions> options, TimeProvider time)
    {
        var dynamicYield = options.Value;
        _httpClients = httpClients;
        _time = time;
        _apiKey = dynamicYield.ApiKey ?? string.Empty;
        var baseUrl = dynamicYield.BaseUrl.EndsWith('/') ? dynamicYield.BaseUrl : dynamicYield.BaseUrl + "/";
        _endpoint = new Uri(new Uri(baseUrl, UriKind.Absolute), EngagementPath);
    }

    public string Name => DynamicYieldOptions.Name;

    /// <summary>
    /// One click per call: the API takes one user per request and has no de-duplication id, so a batch that failed
    /// half-way could not be sent again without counting someone else's click twice.
    /// </summary>
    public int MaxBatchSize => 1;

    public bool Accepts(TrackingEvent trackingEvent) =>
        trackingEvent.Kind == TrackingEventKind.Click
        && (!string.IsNullOrEmpty(trackingEvent.SlotId) || !string.IsNullOrEmpty(trackingEvent.Attribution.DecisionId));

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(batch.Count, MaxBatchSize, nameof(batch));
        var click = batch[0];
        if (CreateBody(click) is not { } body)
        {
            return DeliveryResult.Rejected("no Dynamic Yield cookie and no user id to report the click for");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = BoundedJson.Content(body, DynamicYieldJsonContext.Default.DynamicYieldEngagementRequest),
        };
        request.Headers.TryAddWithoutValidation(ApiKeyHeader, _apiKey);

        // Only the status and headers matter (success is 204, no body), so the body is never read: a malformed or
        // huge one cannot fail or stall delivery.
        var client = _httpClients.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        return response.IsSuccessStatusCode ? DeliveryResult.Delivered
            : RetryAfter.IsTransient(status) ? DeliveryResult.Retry($"HTTP {status}", RetryAfter.From(response, _time))
            : DeliveryResult.Rejected($"HTTP {status}");
    }

    /// <summary>
    /// Web mode when the visitor has Dynamic Yield's user cookies (either one stands in for the other, as both hold the
    /// same id), else API-only mode with our own ids; null when there is no id at all.
    /// </summary>
    private static DynamicYieldEngagementRequest? CreateBody(TrackingEvent click)
    {
        var identity = click.Identity;
        var ids = identity.Identifiers;
        var dyid = ids.GetValueOrDefault(DynamicYieldIdentity.UserIdCookie);
        var dyidServer = ids.GetValueOrDefault(DynamicYieldIdentity.ServerUserIdCookie);
        DynamicYieldUser user;
        DynamicYieldSession? session;
        if (dyid is not null || dyidServer is not null)
        {
            user = new DynamicYieldUser { Dyid = dyid ?? dyidServer, DyidServer = dyidServer ?? dyid };
            session = ids.GetValueOrDefault(DynamicYieldIdentity.SessionCookie) is { } dy ? new DynamicYieldSession { Dy = dy } : null;
        }
        else if ((identity.CustomerId ?? identity.VisitorId) is { } id)
        {
            user = new DynamicYieldUser { Id = id };
            session = (identity.SessionId ?? identity.VisitorId) is { } custom ? new DynamicYieldSession { Custom = custom } : null;
        }
        else
        {
            return null;
        }

        // A click on a recommendation slot is the finer report; the choice's decisionId is only used without one.
        var engagement = !string.IsNullOrEmpty(click.SlotId)
            ? new DynamicYieldEngagement { Type = DynamicYieldEngagement.SlotClick, SlotId = click.SlotId }
            : new DynamicYieldEngagement { Type = DynamicYieldEngagement.Click, DecisionId = click.Attribution.DecisionId };
        return new DynamicYieldEngagementRequest(user, session, [engagement]);
    }
}
