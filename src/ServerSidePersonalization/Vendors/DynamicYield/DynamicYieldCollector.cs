using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Http;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>
/// What both <c>/v2/collect/user/*</c> destinations share: the visitor's ids in the site's mode (a visitor with none
/// Dynamic Yield knows is skipped and counted, never reported under someone else's id) and one report, the body with
/// the API key and the answer's status mapped to delivered, retried (network, 408, 429, 5xx, with Retry-After) or
/// rejected (naming the setting to check for 401/403/451). Success is 204 with no body, so the body is never read: a
/// malformed or huge one cannot fail or stall delivery.
/// </summary>
internal sealed class DynamicYieldCollector(
    IHttpClientFactory httpClients,
    IOptions<DynamicYieldOptions> options,
    IOptions<PersonalizationOptions> personalization,
    TimeProvider time,
    PersonalizationMetrics metrics,
    DynamicYieldNewUsers newUsers)
{
    public const string HttpClientName = "ServerSidePersonalization.DynamicYield";
    public const string ApiKeyHeader = "DY-API-Key";

    /// <summary>
    /// A report has no page waiting on it, but a hung call holds up every later one of the queue, so it gets a bound
    /// well under HttpClient's 100 s.
    /// </summary>
    public static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(10);

    private readonly string _visitorCookie = personalization.Value.Identity.VisitorCookie;

    public DynamicYieldOptions Options { get; } = options.Value;

    /// <summary>The endpoint at <paramref name="path"/> below the configured host.</summary>
    public Uri Endpoint(string path) => new(Options.ResolveBaseUrl(), path);

    /// <summary>The ids to report <paramref name="trackingEvent"/> with, or null with the reason it has none.</summary>
    public DynamicYieldIds? Ids(TrackingEvent trackingEvent, out string? missing) =>
        DynamicYieldUsers.ForEvent(trackingEvent.Identity, Options.Mode, _visitorCookie, newUsers, out missing);

    /// <summary>Whether the visitor has ids to be reported with; when not, the event is counted as skipped.</summary>
    public bool HasIds(TrackingEvent trackingEvent, string destination)
    {
        if (Ids(trackingEvent, out var missing) is not null)
        {
            return true;
        }

        metrics.TrackingSkipped(destination, missing!);
        return false;
    }

    public async Task<DeliveryResult> PostAsync<TBody>(
        Uri endpoint, TBody body, JsonTypeInfo<TBody> typeInfo, CancellationToken cancellationToken, Func<int, string?>? describeRejection = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = BoundedJson.Content(body, typeInfo) };
        request.Headers.TryAddWithoutValidation(ApiKeyHeader, Options.ApiKey);
        using var response = await httpClients.CreateClient(HttpClientName)
            .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        return response.IsSuccessStatusCode ? DeliveryResult.Delivered
            : RetryAfter.IsTransient(status) ? DeliveryResult.Retry($"HTTP {status}", RetryAfter.From(response, time))
            : status is 401 or 403 ? DeliveryResult.Unauthorized($"HTTP {status}: check Personalization:DynamicYield:ApiKey (a server-side key)")
            : DeliveryResult.Rejected(status is 451
                ? $"HTTP {status}: check Personalization:DynamicYield:ApiKey (a server-side key)"
                : describeRejection?.Invoke(status) ?? $"HTTP {status}");
    }
}
