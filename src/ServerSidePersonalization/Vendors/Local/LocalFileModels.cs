using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerSidePersonalization.Vendors.Local;

/// <summary>The experiences file: <c>{ "experiences": [ { "key", "name", "variations": [ { "id", "weight", "payload", "slots" } ] } ] }</c>.</summary>
internal sealed record LocalExperienceFile(
    [property: JsonPropertyName("experiences")] List<LocalExperienceDefinition>? Experiences);

internal sealed record LocalExperienceDefinition(
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("enabled")] bool? Enabled,
    [property: JsonPropertyName("variations")] List<LocalVariationDefinition>? Variations);

internal sealed record LocalVariationDefinition(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("weight")] double? Weight,
    [property: JsonPropertyName("payload")] Dictionary<string, JsonElement>? Payload,
    [property: JsonPropertyName("slots")] List<LocalSlotDefinition?>? Slots = null);

/// <summary>An item of a recommendations variation: <c>{ "slotId", "sku", "productData": { ... } }</c>.</summary>
internal sealed record LocalSlotDefinition(
    [property: JsonPropertyName("slotId")] string? SlotId,
    [property: JsonPropertyName("sku")] string? Sku,
    [property: JsonPropertyName("productData")] JsonElement ProductData);

/// <summary>The attribution of a Local experience, shaped like MoEngage's <c>experience_context</c>.</summary>
internal sealed record LocalExperienceContext(
    [property: JsonPropertyName("cid")] string Cid,
    [property: JsonPropertyName("experience")] string Experience,
    [property: JsonPropertyName("moe_locale_id")] string LocaleId,
    [property: JsonPropertyName("moe_variation_id")] string VariationId,
    [property: JsonPropertyName("variation_name")] string VariationName,
    [property: JsonPropertyName("audience_name")] string AudienceName,
    [property: JsonPropertyName("audience_id")] string AudienceId,
    [property: JsonPropertyName("type")] string Type);

[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(LocalExperienceFile))]
[JsonSerializable(typeof(LocalExperienceContext))]
internal sealed partial class LocalJsonContext : JsonSerializerContext;
