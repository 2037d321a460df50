using System.Text.Json.Serialization;

namespace ServerSidePersonalization.Vendors.Local;

/// <summary>
/// One tracking event as the local destination keeps it (a line of the JSON-lines file). The user is a hash, never
/// the raw id, so the file can be shared without exposing visitors.
/// </summary>
public sealed record LocalTrackingRecord(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("experience")] string Experience,
    [property: JsonPropertyName("variation")] string? Variation,
    [property: JsonPropertyName("element")] string? Element,
    [property: JsonPropertyName("slot")] string? Slot,
    [property: JsonPropertyName("user")] string? User);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LocalTrackingRecord))]
internal sealed partial class LocalTrackingJsonContext : JsonSerializerContext;
