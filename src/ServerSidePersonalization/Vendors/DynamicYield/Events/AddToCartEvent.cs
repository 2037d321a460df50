namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>A product added to the cart (<c>add-to-cart-v1</c>).</summary>
public sealed class AddToCartEvent : CartChangeEvent
{
    /// <summary>The display name used when none is given.</summary>
    public const string DefaultName = "Add to Cart";

    /// <summary>Creates the event.</summary>
    /// <param name="value">The total value of the product added (price times quantity); not negative.</param>
    /// <param name="productId">The SKU exactly as in the product feed.</param>
    /// <param name="quantity">How many were added; not negative.</param>
    /// <param name="currency">The currency of <paramref name="value"/>; the section's currency when null.</param>
    /// <param name="cart">The whole cart after the change, to keep Dynamic Yield's copy in sync; optional.</param>
    /// <param name="name">The display name; <see cref="DefaultName"/> when null.</param>
    /// <exception cref="ArgumentException">A value is missing or out of range; <c>ParamName</c> is the field.</exception>
    public AddToCartEvent(decimal value, string productId, int quantity, string? currency = null, IReadOnlyList<CartItem>? cart = null, string? name = null)
        : base("add-to-cart-v1", name ?? DefaultName, value, productId, quantity, currency, cart)
    {
    }
}
