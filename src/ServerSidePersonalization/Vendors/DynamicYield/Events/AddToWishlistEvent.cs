namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>A product added to the visitor's wish list (<c>add-to-wishlist-v1</c>).</summary>
public sealed class AddToWishlistEvent : DynamicYieldEvent
{
    /// <summary>The display name used when none is given.</summary>
    public const string DefaultName = "Add to Wishlist";

    /// <summary>Creates an add-to-wishlist event.</summary>
    /// <param name="productId">The SKU exactly as in the product feed.</param>
    /// <param name="name">The display name; <see cref="DefaultName"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="productId"/> is missing; <c>ParamName</c> is the field.</exception>
    public AddToWishlistEvent(string productId, string? name = null)
        : base(name ?? DefaultName)
    {
        ProductId = DynamicYieldEventRules.Required(productId, nameof(productId));
    }

    /// <summary>The SKU added to the wish list.</summary>
    public string ProductId { get; }

    internal override DynamicYieldEventProperties ToProperties() => new() { DyType = "add-to-wishlist-v1", ProductId = ProductId };
}
