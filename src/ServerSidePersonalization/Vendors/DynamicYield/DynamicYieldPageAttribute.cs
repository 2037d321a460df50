using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>
/// Declares the Dynamic Yield page type of an MVC action, controller or Razor Page, and the route values (or query
/// parameters) holding its data: <c>[DynamicYieldPage(PageType.Product, "sku")]</c>. Undeclared pages are <c>OTHER</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class DynamicYieldPageAttribute : Attribute, IPageMetadata
{
    /// <summary>Declares the page type and the route values holding its data.</summary>
    public DynamicYieldPageAttribute(PageType type, params string[] dataRouteValues)
    {
        ArgumentNullException.ThrowIfNull(dataRouteValues);
        Type = type;
        DataRouteValues = [.. dataRouteValues];
    }

    /// <summary>The page type.</summary>
    public PageType Type { get; }

    /// <inheritdoc />
    public string PageType => Type.ToString().ToUpperInvariant();

    /// <inheritdoc />
    public IReadOnlyList<string> DataRouteValues { get; }
}
