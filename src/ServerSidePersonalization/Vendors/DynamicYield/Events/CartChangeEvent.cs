namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>
/// A product added to or removed from the cart: the schema <c>add-to-cart-v1</c> and <c>remove-from-cart-v1</c> share.
/// </summary>
public abstract class CartChangeEvent : DynamicYieldEvent
{
    private readonly string _dyType;
    private readonly CartItem[]? _cart;

    private protected CartChangeEvent(string dyType, string name, decimal value, string productId, int quantity, string? currency, IReadOnlyList<CartItem>? cart)
        : base(name)
    {
        _dyType = dyType;
        Value = DynamicYieldEventRules.Value(value);
        ProductId = DynamicYieldEventRules.Required(productId, nameof(productId));
        Quantity = DynamicYieldEventRules.Quantity(quantity);
        Currency = DynamicYieldEventRules.Optional(currency, nameof(currency));
        _cart = DynamicYieldEventRules.Cart(cart, required: false);
    }

    /// <summary>The total value of the product added or removed.</summary>
    public decimal Value { get; }

    /// <summary>The currency of <see cref="Value"/>, or null for the section's currency.</summary>
    public string? Currency { get; }

    /// <summary>The SKU added or removed.</summary>
    public string ProductId { get; }

    /// <summary>How many were added or removed.</summary>
    public int Quantity { get; }

    /// <summary>The whole cart after the change, or null when not reported.</summary>
    public IReadOnlyList<CartItem>? Cart => _cart;

    internal override DynamicYieldEventProperties ToProperties() => new()
    {
        DyType = _dyType,
        Value = Value,
        Currency = Currency,
        ProductId = ProductId,
        Quantity = Quantity,
        Cart = DynamicYieldEventRules.ToWire(_cart),
    };
}
