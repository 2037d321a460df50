using System.Text.Json.Serialization;

namespace ServerSidePersonalization.Vendors.Cardlytics;

/// <summary>The body of <c>POST /v2/session/startSession</c>.</summary>
internal sealed record CardlyticsStartSessionRequest(
    [property: JsonPropertyName("clientId")] string ClientId,
    [property: JsonPropertyName("secret")] string Secret);

/// <summary>
/// The answer of <c>startSession</c>: the bearer token. The document names no field; Cardlytics' reference calls it a
/// session token, so <c>sessionToken</c> is read, and <c>token</c> or <c>accessToken</c> when that is absent.
/// </summary>
internal sealed record CardlyticsStartSessionResponse(
    [property: JsonPropertyName("sessionToken")] string? SessionToken,
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("accessToken")] string? AccessToken)
{
    public string? Bearer => SessionToken ?? Token ?? AccessToken;
}

/// <summary>The body of <c>POST /v2/events/clientEvent</c>.</summary>
internal sealed record CardlyticsClientEventsRequest(
    [property: JsonPropertyName("clientEvents")] IReadOnlyList<CardlyticsClientEventMessage> ClientEvents);

/// <summary>One <c>ClientEventMessage</c>; <c>clientEventMetadata</c> is written as null for events without metadata, as in the document.</summary>
internal sealed record CardlyticsClientEventMessage(
    [property: JsonPropertyName("clientEventId")] string ClientEventId,
    [property: JsonPropertyName("clientEventType")] string ClientEventType,
    [property: JsonPropertyName("clientEvent")] string ClientEvent,
    [property: JsonPropertyName("clientEventTimestamp")] string ClientEventTimestamp,
    [property: JsonPropertyName("clientEventMetadata"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] CardlyticsEventMetadata? ClientEventMetadata);

/// <summary>The <c>ClientEventMetadata</c> of an ad event: <c>serveToken</c>, <c>section</c> and <c>channel</c>, and <c>displayPosition</c> when known.</summary>
internal sealed record CardlyticsEventMetadata(
    [property: JsonPropertyName("serveToken")] string ServeToken,
    [property: JsonPropertyName("section")] string Section,
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("displayPosition")] int? DisplayPosition);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CardlyticsStartSessionRequest))]
[JsonSerializable(typeof(CardlyticsStartSessionResponse))]
[JsonSerializable(typeof(CardlyticsClientEventsRequest))]
internal sealed partial class CardlyticsJsonContext : JsonSerializerContext;
