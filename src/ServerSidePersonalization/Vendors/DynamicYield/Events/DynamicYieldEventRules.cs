using System.Buffers;

namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>
/// The checks the events share, each throwing an <see cref="ArgumentException"/> whose <c>ParamName</c> is the wire
/// field. Messages never repeat a value: it may be an email address or a customer id.
/// </summary>
internal static class DynamicYieldEventRules
{
    public const int MaxTransactionIdLength = 64;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static decimal Value(decimal value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return value;
    }

    public static int Quantity(int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        return quantity;
    }

    public static string Required(string? text, string field)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text, field);
        return text;
    }

    public static string? Optional(string? text, string field)
    {
        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException($"{field} must not be empty; pass null to leave it out.", field);
        }

        return text;
    }

    public static string? TransactionId(string? uniqueTransactionId)
    {
        if (Optional(uniqueTransactionId, nameof(uniqueTransactionId)) is { Length: > MaxTransactionIdLength })
        {
            throw new ArgumentException(
                $"uniqueTransactionId must be at most {MaxTransactionIdLength} characters.", nameof(uniqueTransactionId));
        }

        return uniqueTransactionId;
    }

    /// <summary>A copy of <paramref name="cart"/> (so later changes to the caller's list are not sent), without null items.</summary>
    public static CartItem[]? Cart(IReadOnlyList<CartItem>? cart, bool required, bool nonEmpty = false)
    {
        if (cart is null)
        {
            return required ? throw new ArgumentNullException(nameof(cart), "cart is required for this event.") : null;
        }

        CartItem[] items = [.. cart];
        if (Array.IndexOf(items, null) >= 0)
        {
            throw new ArgumentException("cart must not contain null items.", nameof(cart));
        }

        if (nonEmpty && items.Length == 0)
        {
            throw new ArgumentException("cart must list at least one product.", nameof(cart));
        }

        return items;
    }

    public static string HashedEmail(string? hashedEmail)
    {
        ArgumentNullException.ThrowIfNull(hashedEmail);
        if (hashedEmail.Length != 64 || hashedEmail.AsSpan().ContainsAnyExcept(LowerHex))
        {
            throw new ArgumentException(
                "hashedEmail must be the SHA-256 of the lower-cased address as 64 lower-case hex digits; DynamicYieldEmail.Hash makes it from an address.",
                nameof(hashedEmail));
        }

        return hashedEmail;
    }

    /// <summary>
    /// The customer id of an identifying event: a hashed email, or a <c>cuid</c> with an optional <c>cuidType</c>
    /// (Dynamic Yield's type <c>id</c> when left out), never both.
    /// </summary>
    public static (string? HashedEmail, string? Cuid, string? CuidType) Customer(string? hashedEmail, string? cuid, string? cuidType, bool required)
    {
        Optional(cuid, nameof(cuid));
        Optional(cuidType, nameof(cuidType));
        if (cuidType is not null && cuid is null)
        {
            throw new ArgumentException("cuid is required when cuidType is set.", nameof(cuid));
        }

        if (hashedEmail is not null && cuid is not null)
        {
            throw new ArgumentException("Pass either hashedEmail or cuid (with cuidType), not both.", nameof(cuid));
        }

        if (hashedEmail is null && cuid is null)
        {
            return required
                ? throw new ArgumentException("This event identifies the user: pass hashedEmail, or cuid (with cuidType).", nameof(hashedEmail))
                : default;
        }

        return (hashedEmail is null ? null : HashedEmail(hashedEmail), cuid, cuidType);
    }

    public static IReadOnlyList<DynamicYieldCartItem>? ToWire(CartItem[]? cart) =>
        cart is null ? null : Array.ConvertAll(cart, item => new DynamicYieldCartItem(item.ProductId, item.Quantity, item.ItemPrice));
}
