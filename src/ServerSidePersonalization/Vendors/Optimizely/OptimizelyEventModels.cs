using System.Text.Json.Serialization;

namespace ServerSidePersonalization.Vendors.Optimizely;

/// <summary>One event of <c>POST /v3/events</c> (the body is an array of at most 500).</summary>
internal sealed record OptimizelyEvent(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("identifiers")] IReadOnlyDictionary<string, string> Identifiers,
    [property: JsonPropertyName("data")] OptimizelyEventData Data);

/// <summary>
/// The event's <c>data</c>: when (<c>ts</c>, epoch seconds), which experience and variation, the campaign (MoEngage's
/// <c>cid</c>) or decision (Dynamic Yield's <c>decisionId</c>) it came from, the element clicked, and the event's id as
/// <c>idempotence_id</c>, the same on every retry.
/// </summary>
internal sealed record OptimizelyEventData(
    [property: JsonPropertyName("ts")] long Ts,
    [property: JsonPropertyName("idempotence_id")] string IdempotenceId,
    [property: JsonPropertyName("experience_key")] string ExperienceKey,
    [property: JsonPropertyName("variation_id")] string? VariationId,
    [property: JsonPropertyName("campaign_id")] string? CampaignId,
    [property: JsonPropertyName("decision_id")] string? DecisionId,
    [property: JsonPropertyName("element_id")] string? ElementId);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<OptimizelyEvent>))]
internal sealed partial class OptimizelyJsonContext : JsonSerializerContext;
