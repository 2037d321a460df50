namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>A completed purchase (<c>purchase-v1</c>): its total and every product bought.</summary>
public sealed class PurchaseEvent : DynamicYieldEvent
{
    /// <summary>The display name used when none is given.</summary>
    public const string DefaultName = "Purchase";

    private readonly CartItem[] _cart;

    /// <summary>Creates a purchase event.</summary>
    /// <param name="value">The total value of the purchase; not negative.</param>
    /// <param name="cart">The products bought (not the cart left afterwards); at least one.</param>
    /// <param name="uniqueTransactionId">
    /// The order id, at most 64 characters; optional but recommended, since Dynamic Yield then counts a purchase reported
    /// twice once.
    /// </param>
    /// <param name="currency">The currency of <paramref name="value"/>; the section's currency when null.</param>
    /// <param name="name">The display name; <see cref="DefaultName"/> when null.</param>
    /// <exception cref="ArgumentException">A value is missing or out of range; <c>ParamName</c> is the field.</exception>
    public PurchaseEvent(decimal value, IReadOnlyList<CartItem> cart, string? uniqueTransactionId = null, string? currency = null, string? name = null)
        : base(name ?? DefaultName)
    {
        Value = DynamicYieldEventRules.Value(value);
        _cart = DynamicYieldEventRules.Cart(cart, required: true, nonEmpty: true)!;
        UniqueTransactionId = DynamicYieldEventRules.TransactionId(uniqueTransactionId);
        Currency = DynamicYieldEventRules.Optional(currency, nameof(currency));
    }

    /// <summary>The total value of the purchase.</summary>
    public decimal Value { get; }

    /// <summary>The currency of <see cref="Value"/>, or null for the section's currency.</summary>
    public string? Currency { get; }

    /// <summary>The order id Dynamic Yield de-duplicates by, or null.</summary>
    public string? UniqueTransactionId { get; }

    /// <summary>The products bought.</summary>
    public IReadOnlyList<CartItem> Cart => _cart;

    internal override DynamicYieldEventProperties ToProperties() => new()
    {
        DyType = "purchase-v1",
        Value = Value,
        Currency = Currency,
        UniqueTransactionId = UniqueTransactionId,
        Cart = DynamicYieldEventRules.ToWire(_cart),
    };
}
