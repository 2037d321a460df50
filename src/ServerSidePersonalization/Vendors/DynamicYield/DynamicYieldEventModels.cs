using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>The body of <c>POST /v2/collect/user/event</c>: one user, their session, the client's address and the events.</summary>
internal sealed record DynamicYieldEventRequest(
    [property: JsonPropertyName("user")] DynamicYieldUser User,
    [property: JsonPropertyName("session")] DynamicYieldSession? Session,
    [property: JsonPropertyName("context")] DynamicYieldEventContext? Context,
    [property: JsonPropertyName("events")] IReadOnlyList<DynamicYieldEventBody> Events);

/// <summary>The request's <c>context</c>; only <c>device.ip</c> is sent with events.</summary>
internal sealed record DynamicYieldEventContext([property: JsonPropertyName("device")] DynamicYieldDevice Device);

/// <summary>One event: its display name and its <c>properties</c> (absent for a custom event without any).</summary>
internal sealed record DynamicYieldEventBody(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("properties")] DynamicYieldEventProperties? Properties);

/// <summary>
/// The <c>properties</c> of every schema in one flat shape; each event sets the fields its schema has and the rest are
/// left out. A custom event's own properties go in <see cref="Custom"/>, written after the others.
/// </summary>
internal sealed record DynamicYieldEventProperties
{
    [JsonPropertyName("dyType")]
    public string? DyType { get; init; }

    [JsonPropertyName("value")]
    public decimal? Value { get; init; }

    [JsonPropertyName("currency")]
    public string? Currency { get; init; }

    [JsonPropertyName("productId")]
    public string? ProductId { get; init; }

    [JsonPropertyName("quantity")]
    public int? Quantity { get; init; }

    [JsonPropertyName("uniqueTransactionId")]
    public string? UniqueTransactionId { get; init; }

    [JsonPropertyName("cart")]
    public IReadOnlyList<DynamicYieldCartItem>? Cart { get; init; }

    [JsonPropertyName("hashedEmail")]
    public string? HashedEmail { get; init; }

    [JsonPropertyName("cuidType")]
    public string? CuidType { get; init; }

    [JsonPropertyName("cuid")]
    public string? Cuid { get; init; }

    [JsonPropertyName("keywords")]
    public string? Keywords { get; init; }

    [JsonPropertyName("itemId")]
    public string? ItemId { get; init; }

    /// <summary>Spelled <c>autoplay</c> as in the document's example and Dynamic Yield's reference (its table says <c>autoPlay</c>).</summary>
    [JsonPropertyName("autoplay")]
    public bool? AutoPlay { get; init; }

    [JsonPropertyName("progress")]
    public string? Progress { get; init; }

    [JsonPropertyName("progressPercent")]
    public decimal? ProgressPercent { get; init; }

    /// <summary>Settable, not init-only: System.Text.Json cannot bind extension data through the constructor it makes for init-only members.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Custom { get; set; }
}

/// <summary>One line of a cart.</summary>
internal sealed record DynamicYieldCartItem(
    [property: JsonPropertyName("productId")] string ProductId,
    [property: JsonPropertyName("quantity")] int Quantity,
    [property: JsonPropertyName("itemPrice")] decimal ItemPrice);
