using System.Text.Json;

namespace ServerSidePersonalization.Experiences;

/// <summary>
/// One item of a recommendations experience: the vendor's slot id (reported when the item is clicked), the product's
/// SKU and the product data the vendor sent, for the page to render.
/// </summary>
/// <param name="SlotId">The vendor's id of this slot; pass it to <c>experience-slot</c> on the item's link.</param>
/// <param name="Sku">The product's SKU, when known.</param>
/// <param name="ProductData">The product's fields as the vendor sent them (name, price, url, image...); may be undefined.</param>
public sealed record ExperienceSlot(string SlotId, string? Sku, JsonElement ProductData)
{
    /// <summary>A product field as text (for example <c>name</c>), or null when absent.</summary>
    public string? GetString(string field) =>
        ProductData.ValueKind == JsonValueKind.Object && ProductData.TryGetProperty(field, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => ExperienceValue.Text(value),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.GetRawText(),
            }
            : null;
}
