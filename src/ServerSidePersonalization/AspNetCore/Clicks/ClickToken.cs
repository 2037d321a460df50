using System.Text.Json;
using System.Text.Json.Serialization;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.AspNetCore.Clicks;

/// <summary>
/// What a tracked link carries through the browser, protected: the experience and its attribution (the vendor's
/// context verbatim), the element and slot clicked, where the click leads, and whose link it is (hashes of the
/// render-time user's ids, see <see cref="ClickOwner"/>; absent when that visitor had none). Short JSON names keep
/// links short.
/// </summary>
internal sealed record ClickToken(
    [property: JsonPropertyName("k")] string ExperienceKey,
    [property: JsonPropertyName("v")] string Vendor,
    [property: JsonPropertyName("c"), JsonConverter(typeof(VerbatimJsonConverter)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    JsonElement Context,
    [property: JsonPropertyName("vi")] string? VariationId,
    [property: JsonPropertyName("d")] string? DecisionId,
    [property: JsonPropertyName("e")] string? ElementId,
    [property: JsonPropertyName("s")] string? SlotId,
    [property: JsonPropertyName("u")] string Target,
    [property: JsonPropertyName("o")] IReadOnlyList<string>? Owner,
    [property: JsonPropertyName("a")] string? Action = null,
    [property: JsonPropertyName("f")] IReadOnlyDictionary<string, string>? Fields = null)
{
    /// <summary>
    /// A token for a click on <paramref name="experienceKey"/> leading to <paramref name="target"/>, on a link rendered
    /// for <paramref name="owner"/> (<see cref="VisitorIdentity.Anonymous"/> for a link anyone may click).
    /// </summary>
    public static ClickToken Create(
        string experienceKey,
        ExperienceAttribution attribution,
        string? elementId,
        string? slotId,
        string target,
        VisitorIdentity owner,
        string? action = null,
        IReadOnlyDictionary<string, string>? fields = null) =>
        new(
            experienceKey,
            attribution.Vendor,
            attribution.Context,
            attribution.VariationId,
            attribution.DecisionId,
            elementId,
            slotId,
            target,
            ClickOwner.Of(owner),
            action,
            fields);

    /// <summary>The attribution as the experience had it when the link was rendered.</summary>
    public ExperienceAttribution ToAttribution() => new(Vendor, Context, VariationId, DecisionId);

    /// <summary>Whether the fields every click needs are present (JSON that parses may still lack them).</summary>
    public bool IsComplete() =>
        Experiences.ExperienceKey.IsValid(ExperienceKey) && !string.IsNullOrEmpty(Vendor) && !string.IsNullOrEmpty(Target)
        && (Action is null || ClickAction.IsValid(Action));
}

/// <summary>
/// Writes the vendor's attribution object byte for byte (the default re-escapes strings), so the vendor gets back exactly
/// what it sent. An attribution without one (an undefined element) is left out of the token altogether.
/// </summary>
internal sealed class VerbatimJsonConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonElement.ParseValue(ref reader);

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(value.GetRawText(), skipInputValidation: true);
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ClickToken))]
internal sealed partial class ClickJsonContext : JsonSerializerContext;
