namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>Dynamic Yield's page types (<c>context.page.type</c> of a choose call).</summary>
public enum PageType
{
    /// <summary>The home page (<c>HOMEPAGE</c>).</summary>
    Homepage,

    /// <summary>A category page (<c>CATEGORY</c>); its data is the category path.</summary>
    Category,

    /// <summary>A product page (<c>PRODUCT</c>); its data is the product's SKU.</summary>
    Product,

    /// <summary>The cart (<c>CART</c>); its data is the SKUs in the cart.</summary>
    Cart,

    /// <summary>Any other page (<c>OTHER</c>), the default for endpoints that declare nothing.</summary>
    Other,
}
