using System.Globalization;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>
/// Dynamic Yield's variation ids are numbers; an experience keeps the ids of the variations a choice served as text
/// (comma-separated when a choice served several), and engagements send them back as numbers.
/// </summary>
internal static class DynamicYieldVariationIds
{
    public static string? Format(IEnumerable<long> ids) =>
        string.Join(',', ids.Select(id => id.ToString(CultureInfo.InvariantCulture))) is { Length: > 0 } text ? text : null;

    public static IReadOnlyList<long>? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var ids = new List<long>();
        foreach (var part in text.Split(','))
        {
            if (long.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            {
                ids.Add(id);
            }
        }

        return ids.Count == 0 ? null : ids;
    }
}
