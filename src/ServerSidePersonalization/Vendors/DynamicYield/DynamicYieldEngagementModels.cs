using System.Text.Json.Serialization;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>The body of <c>POST /v2/collect/user/engagement</c>: one user, their session and what they clicked.</summary>
internal sealed record DynamicYieldEngagementRequest(
    [property: JsonPropertyName("user")] DynamicYieldUser User,
    [property: JsonPropertyName("session")] DynamicYieldSession? Session,
    [property: JsonPropertyName("engagements")] IReadOnlyList<DynamicYieldEngagement> Engagements);

/// <summary>Web mode sets <see cref="Dyid"/> and <see cref="DyidServer"/>; API-only mode sets <see cref="Id"/>.</summary>
internal sealed record DynamicYieldUser
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("dyid")]
    public string? Dyid { get; init; }

    [JsonPropertyName("dyid_server")]
    public string? DyidServer { get; init; }
}

/// <summary>Web mode sets <see cref="Dy"/> (the <c>_dyjsession</c> cookie); API-only mode sets <see cref="Custom"/>.</summary>
internal sealed record DynamicYieldSession
{
    [JsonPropertyName("dy")]
    public string? Dy { get; init; }

    [JsonPropertyName("custom")]
    public string? Custom { get; init; }
}

/// <summary>
/// An <c>IMP</c> or <c>CLICK</c> (with the choice's <c>decisionId</c> and the variation ids shown) or a <c>SLOT_CLICK</c>
/// (with the recommendation's <c>slotId</c>).
/// </summary>
internal sealed record DynamicYieldEngagement
{
    public const string Impression = "IMP";
    public const string Click = "CLICK";
    public const string SlotClick = "SLOT_CLICK";

    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("decisionId")]
    public string? DecisionId { get; init; }

    [JsonPropertyName("variations")]
    public IReadOnlyList<long>? Variations { get; init; }

    [JsonPropertyName("slotId")]
    public string? SlotId { get; init; }
}
