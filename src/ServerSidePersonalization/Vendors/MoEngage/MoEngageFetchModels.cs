using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerSidePersonalization.Vendors.MoEngage;

/// <summary>The body of <c>POST /v1/experiences/fetch</c>; in-session attributes are top-level keys.</summary>
internal sealed class MoEngageFetchRequest
{
    [JsonPropertyName("customer_id")]
    public string? CustomerId { get; set; }

    [JsonPropertyName("visitor_id")]
    public string? VisitorId { get; set; }

    [JsonPropertyName("experience_key")]
    public IReadOnlyList<string> ExperienceKey { get; set; } = [];

    [JsonExtensionData]
    public Dictionary<string, object>? Attributes { get; set; }
}

/// <summary>The answer of a fetch: experiences by key; an absent key means no experience.</summary>
internal sealed record MoEngageFetchResponse(
    [property: JsonPropertyName("experiences")] Dictionary<string, MoEngageExperience?>? Experiences);

internal sealed record MoEngageExperience(
    [property: JsonPropertyName("payload")] Dictionary<string, MoEngagePayloadField?>? Payload,
    [property: JsonPropertyName("experience_context")] JsonElement ExperienceContext);

internal sealed record MoEngagePayloadField(
    [property: JsonPropertyName("value")] JsonElement Value,
    [property: JsonPropertyName("data_type")] string? DataType);

/// <summary>MoEngage's error body.</summary>
internal sealed record MoEngageError(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("description")] string? Description);
