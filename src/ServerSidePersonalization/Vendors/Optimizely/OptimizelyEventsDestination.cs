using Microsoft.Extensions.Options;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Http;
using ServerSidePersonalization.Tracking;
using ServerSidePersonalization.Vendors;

namespace ServerSidePersonalization.Vendors.Optimizely;

/// <summary>
/// Reports every impression and click, whichever vendor decided the experience, to ODP's
/// <c>POST {base}/v3/events</c> as channel events: <c>type</c> the configured channel type, <c>action</c>
/// <c>delivery</c> for an impression and <c>click</c> for a click (both configurable), the visitor's
/// <see cref="OptimizelyIdentifiers"/>, and the attribution in <c>data</c>. At most 500 events a request, the API's
/// limit. 202 is success; 401/403 name the API key; 408, 429 and 5xx are retried; any other answer rejects the batch.
/// </summary>
internal sealed class OptimizelyEventsDestination(
    IHttpClientFactory httpClients,
    IOptions<OptimizelyOptions> options,
    IOptions<PersonalizationOptions> personalization,
    TimeProvider time,
    PersonalizationMetrics metrics) : ITrackingDestination
{
    public const string HttpClientName = "ServerSidePersonalization.Optimizely";
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>The most events one request may carry.</summary>
    public const int MaxEvents = 500;

    private const string EventsPath = "v3/events";

    private readonly OptimizelyOptions _options = options.Value;
    private readonly Uri _endpoint = new(options.Value.ResolveBaseUrl(), EventsPath);
    private readonly string _visitorCookie = personalization.Value.Identity.VisitorCookie;

    public string Name => OptimizelyOptions.Name;

    public int MaxBatchSize => MaxEvents;

    /// <summary>Impressions and clicks of a visitor with an identifier ODP can use; the others are counted as skipped (<c>no_identifier</c>).</summary>
    public bool Accepts(TrackingEvent trackingEvent)
    {
        if (trackingEvent.Kind is not (TrackingEventKind.Impression or TrackingEventKind.Click))
        {
            return false;
        }

        if (OptimizelyIdentifiers.For(trackingEvent.Identity, _options, _visitorCookie).Count == 0)
        {
            metrics.TrackingSkipped(Name, "no_identifier");
            return false;
        }

        return true;
    }

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batch.Count, MaxEvents, nameof(batch));
        IReadOnlyList<OptimizelyEvent> body = [.. batch.Select(ToEvent)];
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = BoundedJson.Content(body, OptimizelyJsonContext.Default.IReadOnlyListOptimizelyEvent),
        };
        request.Headers.TryAddWithoutValidation(ApiKeyHeader, _options.ApiKey);
        using var response = await httpClients.CreateClient(HttpClientName)
            .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        return response.IsSuccessStatusCode ? DeliveryResult.Delivered
            : status is 401 or 403 ? DeliveryResult.Unauthorized($"HTTP {status}: check Personalization:Tracking:Optimizely:ApiKey (a private API key)")
            : RetryAfter.IsTransient(status) ? DeliveryResult.Retry($"HTTP {status}", RetryAfter.From(response, time))
            : DeliveryResult.Rejected($"HTTP {status}");
    }

    private OptimizelyEvent ToEvent(TrackingEvent trackingEvent)
    {
        var attribution = trackingEvent.Attribution!;
        var click = trackingEvent.Kind == TrackingEventKind.Click;
        return new OptimizelyEvent(
            _options.ChannelType,
            click ? _options.Actions.Click : _options.Actions.Impression,
            OptimizelyIdentifiers.For(trackingEvent.Identity, _options, _visitorCookie),
            new OptimizelyEventData(
                trackingEvent.OccurredAt.ToUnixTimeSeconds(),
                trackingEvent.Id.ToString("D"),
                trackingEvent.ExperienceKey!,
                attribution.VariationId,
                AttributionFields.String(attribution, "cid"),
                attribution.DecisionId,
                click ? trackingEvent.ElementId : null));
    }
}
