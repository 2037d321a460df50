using System.Text.Json;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.Vendors;

/// <summary>Reads one field of a vendor's attribution object, for destinations that report another vendor's experiences.</summary>
internal static class AttributionFields
{
    /// <summary>
    /// The text of the attribution object's property <paramref name="name"/> (matched exactly, then ignoring case): a
    /// string's content or a number's digits; null when the attribution is not an object or has no such value.
    /// </summary>
    public static string? String(ExperienceAttribution attribution, string name)
    {
        if (attribution.Context.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (!attribution.Context.TryGetProperty(name, out var value))
        {
            value = attribution.Context.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }
}
