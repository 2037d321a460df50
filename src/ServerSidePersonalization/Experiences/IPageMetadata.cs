namespace ServerSidePersonalization.Experiences;

/// <summary>
/// Endpoint metadata that says what kind of page an endpoint is (a vendor module offers an attribute and a builder
/// extension that implement it). The page's data values are read from the named route values, then the query.
/// </summary>
public interface IPageMetadata
{
    /// <summary>The page type as the provider names it (for example <c>PRODUCT</c>).</summary>
    string PageType { get; }

    /// <summary>Names of the route values (or query parameters) that hold the page's data, such as a SKU.</summary>
    IReadOnlyList<string> DataRouteValues { get; }
}
