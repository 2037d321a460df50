using System.Text.Json.Serialization.Metadata;
using ServerSidePersonalization.Http;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>
/// One report to a <c>/v2/collect/user/*</c> endpoint, as both destinations send it: the body with the API key, and the
/// answer's status mapped to delivered, retried (network, 408, 429, 5xx, with Retry-After) or rejected (with the
/// setting to check for 401/403/451). Success is 204 with no body, so the body is never read: a malformed or huge one
/// cannot fail or stall delivery.
/// </summary>
internal static class DynamicYieldCollect
{
    public static async Task<DeliveryResult> PostAsync<TBody>(
        HttpClient client,
        Uri endpoint,
        TBody body,
        JsonTypeInfo<TBody> typeInfo,
        string? apiKey,
        TimeProvider time,
        CancellationToken cancellationToken,
        Func<int, string?>? describeRejection = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = BoundedJson.Content(body, typeInfo) };
        request.Headers.TryAddWithoutValidation(DynamicYieldEngagementDestination.ApiKeyHeader, apiKey);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        return response.IsSuccessStatusCode ? DeliveryResult.Delivered
            : RetryAfter.IsTransient(status) ? DeliveryResult.Retry($"HTTP {status}", RetryAfter.From(response, time))
            : DeliveryResult.Rejected(status is 401 or 403 or 451
                ? $"HTTP {status}: check Personalization:DynamicYield:ApiKey (a server-side key)"
                : describeRejection?.Invoke(status) ?? $"HTTP {status}");
    }
}
