namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>A product removed from the cart (<c>remove-from-cart-v1</c>).</summary>
public sealed class RemoveFromCartEvent : DynamicYieldEvent
{
    /// <summary>The display name used when none is given.</summary>
    public const string DefaultName = "Remove from Cart";

    private readonly CartItem[]? _cart;

    /// <summary>Creates a remove-from-cart event.</summary>
    /// <param name="value">The total value of the product removed (price times quantity); not negative.</param>
    /// <param name="productId">The SKU exactly as in the product feed.</param>
    /// <param name="quantity">How many were removed; not negative.</param>
    /// <param name="currency">The currency of <paramref name="value"/>; the section's currency when null.</param>
    /// <param name="cart">The whole cart after the removal, to keep Dynamic Yield's copy in sync; optional.</param>
    /// <param name="name">The display name; <see cref="DefaultName"/> when null.</param>
    /// <exception cref="ArgumentException">A value is missing or out of range; <c>ParamName</c> is the field.</exception>
    public RemoveFromCartEvent(decimal value, string productId, int quantity, string? currency = null, IReadOnlyList<CartItem>? cart = null, string? name = null)
        : base(name ?? DefaultName)
    {
        Value = DynamicYieldEventRules.Value(value);
        ProductId = DynamicYieldEventRules.Required(productId, nameof(productId));
        Quantity = DynamicYieldEventRules.Quantity(quantity);
        Currency = DynamicYieldEventRules.Optional(currency, nameof(currency));
        _cart = DynamicYieldEventRules.Cart(cart, required: false);
    }

    /// <summary>The total value of the product removed.</summary>
    public decimal Value { get; }

    /// <summary>The currency of <see cref="Value"/>, or null for the section's currency.</summary>
    public string? Currency { get; }

    /// <summary>The SKU removed.</summary>
    public string ProductId { get; }

    /// <summary>How many were removed.</summary>
    public int Quantity { get; }

    /// <summary>The whole cart after the removal, or null when not reported.</summary>
    public IReadOnlyList<CartItem>? Cart => _cart;

    internal override DynamicYieldEventProperties ToProperties() => new()
    {
        DyType = "remove-from-cart-v1",
        Value = Value,
        Currency = Currency,
        ProductId = ProductId,
        Quantity = Quantity,
        Cart = DynamicYieldEventRules.ToWire(_cart),
    };
}
