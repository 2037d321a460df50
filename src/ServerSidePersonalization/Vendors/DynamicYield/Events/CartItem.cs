namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>One line of a cart (<c>productId</c>, <c>quantity</c>, <c>itemPrice</c>), as carried by cart and purchase events.</summary>
public sealed class CartItem
{
    /// <summary>Creates a cart line.</summary>
    /// <param name="productId">The SKU exactly as in the product feed.</param>
    /// <param name="quantity">How many; not negative.</param>
    /// <param name="itemPrice">The price of one; not negative.</param>
    /// <exception cref="ArgumentException">A value is missing or out of range; <c>ParamName</c> is the field.</exception>
    public CartItem(string productId, int quantity, decimal itemPrice)
    {
        ProductId = DynamicYieldEventRules.Required(productId, "productId");
        Quantity = DynamicYieldEventRules.Quantity(quantity);
        ArgumentOutOfRangeException.ThrowIfNegative(itemPrice);
        ItemPrice = itemPrice;
    }

    /// <summary>The SKU exactly as in the product feed.</summary>
    public string ProductId { get; }

    /// <summary>How many of the product the cart holds.</summary>
    public int Quantity { get; }

    /// <summary>The price of one item.</summary>
    public decimal ItemPrice { get; }
}
