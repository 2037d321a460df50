namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>
/// The whole cart after a change that is not one product added or removed (<c>sync-cart-v1</c>); Dynamic Yield's filter
/// that excludes items in the cart needs it on every page load.
/// </summary>
public sealed class SyncCartEvent : DynamicYieldEvent
{
    /// <summary>The display name used when none is given.</summary>
    public const string DefaultName = "Sync Cart";

    private readonly CartItem[] _cart;

    /// <summary>Creates a cart sync event.</summary>
    /// <param name="cart">The whole cart; empty when the cart was emptied.</param>
    /// <param name="name">The display name; <see cref="DefaultName"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="cart"/> is null or holds a null item; <c>ParamName</c> is the field.</exception>
    public SyncCartEvent(IReadOnlyList<CartItem> cart, string? name = null)
        : base(name ?? DefaultName)
    {
        _cart = DynamicYieldEventRules.Cart(cart, required: true)!;
    }

    /// <summary>The whole cart.</summary>
    public IReadOnlyList<CartItem> Cart => _cart;

    internal override DynamicYieldEventProperties ToProperties() => new()
    {
        DyType = "sync-cart-v1",
        Cart = DynamicYieldEventRules.ToWire(_cart),
    };
}
