using System.Text.Json;
using System.Text.Json.Serialization;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.Caching;

/// <summary>The compact L2 form of a <see cref="CacheEntry"/>: short names, times as Unix milliseconds.</summary>
internal static class CacheEntrySerializer
{
    public static byte[] Serialize(CacheEntry entry) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new L2Value(
                entry.FetchedAt.ToUnixTimeMilliseconds(),
                entry.FreshUntil.ToUnixTimeMilliseconds(),
                entry.ExpiresAt.ToUnixTimeMilliseconds(),
                entry.Experience is { } e ? ToWire(e) : null),
            CacheJsonContext.Default.L2Value);

    /// <summary>The entry, or null when the bytes are not an entry of this format (they are then ignored).</summary>
    public static CacheEntry? Deserialize(byte[] bytes)
    {
        try
        {
            var value = JsonSerializer.Deserialize(bytes, CacheJsonContext.Default.L2Value);
            if (value is null)
            {
                return null;
            }

            return new CacheEntry(
                value.Experience is { } e ? FromWire(e) : null,
                DateTimeOffset.FromUnixTimeMilliseconds(value.FetchedAt),
                DateTimeOffset.FromUnixTimeMilliseconds(value.FreshUntil),
                DateTimeOffset.FromUnixTimeMilliseconds(value.ExpiresAt));
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static L2Experience ToWire(Experience experience) => new(
        experience.Key,
        experience.Payload.ToDictionary(f => f.Key, f => new L2Field(f.Value.Value, f.Value.DataType), StringComparer.Ordinal),
        experience.Attribution.Vendor,
        experience.Attribution.Context.ValueKind == JsonValueKind.Undefined ? null : experience.Attribution.Context,
        experience.Attribution.VariationId,
        experience.Attribution.DecisionId,
        experience.Slots.Count == 0 ? null : [.. experience.Slots.Select(s => new L2Slot(s.SlotId, s.Sku, s.ProductData.ValueKind == JsonValueKind.Undefined ? null : s.ProductData))]);

    private static Experience FromWire(L2Experience wire) => new(
        wire.Key,
        wire.Payload.ToDictionary(f => f.Key, f => new ExperienceValue(f.Value.Value, f.Value.DataType), StringComparer.OrdinalIgnoreCase),
        new ExperienceAttribution(wire.Vendor, wire.Context ?? default, wire.VariationId, wire.DecisionId),
        wire.Slots?.Select(s => new ExperienceSlot(s.SlotId, s.Sku, s.ProductData ?? default)).ToList());
}

internal sealed record L2Value(
    [property: JsonPropertyName("t")] long FetchedAt,
    [property: JsonPropertyName("f")] long FreshUntil,
    [property: JsonPropertyName("x")] long ExpiresAt,
    [property: JsonPropertyName("e")] L2Experience? Experience);

internal sealed record L2Experience(
    [property: JsonPropertyName("k")] string Key,
    [property: JsonPropertyName("p")] Dictionary<string, L2Field> Payload,
    [property: JsonPropertyName("v")] string Vendor,
    [property: JsonPropertyName("c")] JsonElement? Context,
    [property: JsonPropertyName("i")] string? VariationId,
    [property: JsonPropertyName("d")] string? DecisionId = null,
    [property: JsonPropertyName("s")] List<L2Slot>? Slots = null);

internal sealed record L2Slot(
    [property: JsonPropertyName("i")] string SlotId,
    [property: JsonPropertyName("k")] string? Sku,
    [property: JsonPropertyName("p")] JsonElement? ProductData);

internal sealed record L2Field(
    [property: JsonPropertyName("v")] JsonElement Value,
    [property: JsonPropertyName("d")] ExperienceDataType DataType);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(L2Value))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
