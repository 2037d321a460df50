namespace ServerSidePersonalization.Experiences;

/// <summary>
/// What page the experiences are for: where it is, where the visitor came from, its language, and (from endpoint
/// metadata, see <see cref="IPageMetadata"/>) its type and data, such as the SKU of a product page. A provider may
/// decide differently by type and data, so both are part of the cache key; the location and referrer are not.
/// </summary>
public sealed class PageContext
{
    /// <summary>Creates a page context.</summary>
    public PageContext(string? location, string? referrer = null, string? locale = null, string? type = null, IReadOnlyList<string>? data = null)
    {
        Location = location;
        Referrer = referrer;
        Locale = locale;
        Type = type;
        Data = data ?? [];
    }

    /// <summary>A page with nothing known.</summary>
    public static PageContext Unknown { get; } = new(null);

    /// <summary>The request's absolute URL.</summary>
    public string? Location { get; }

    /// <summary>The <c>Referer</c> header, when it is an absolute http(s) URL.</summary>
    public string? Referrer { get; }

    /// <summary>The visitor's first language from <c>Accept-Language</c> (for example <c>en-US</c>), when valid.</summary>
    public string? Locale { get; }

    /// <summary>The page type the endpoint declares (for example <c>PRODUCT</c>); null when it declares none.</summary>
    public string? Type { get; }

    /// <summary>The page data the endpoint declares (for example the SKUs of a product or cart page).</summary>
    public IReadOnlyList<string> Data { get; }
}
