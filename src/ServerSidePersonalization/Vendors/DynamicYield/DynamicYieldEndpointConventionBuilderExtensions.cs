using ServerSidePersonalization.Vendors.DynamicYield;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Declares the Dynamic Yield page of minimal API endpoints and route groups.</summary>
public static class DynamicYieldEndpointConventionBuilderExtensions
{
    /// <summary>
    /// The endpoints are Dynamic Yield pages of <paramref name="type"/>, with data from the named route values (or
    /// query parameters): <c>.WithDynamicYieldPage(PageType.Product, "sku")</c>.
    /// </summary>
    public static TBuilder WithDynamicYieldPage<TBuilder>(this TBuilder builder, PageType type, params string[] dataRouteValues)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var metadata = new DynamicYieldPageAttribute(type, dataRouteValues);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        return builder;
    }
}
