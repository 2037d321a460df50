namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>
/// An event that can tie the device's user to a customer across channels with a <c>hashedEmail</c> or a <c>cuid</c>
/// (<c>login-v1</c>, <c>signup-v1</c>, <c>identify-v1</c>); at most one of the two.
/// </summary>
public abstract class CustomerEvent : DynamicYieldEvent
{
    private readonly string _dyType;

    private protected CustomerEvent(string dyType, string name, string? hashedEmail, string? cuid, string? cuidType, bool required)
        : base(name)
    {
        _dyType = dyType;
        (HashedEmail, Cuid, CuidType) = DynamicYieldEventRules.Customer(hashedEmail, cuid, cuidType, required);
    }

    /// <summary>The SHA-256 of the customer's lower-cased address, or null.</summary>
    public string? HashedEmail { get; }

    /// <summary>The customer id of another kind, or null.</summary>
    public string? Cuid { get; }

    /// <summary>The kind of <see cref="Cuid"/>, or null for Dynamic Yield's default <c>id</c>.</summary>
    public string? CuidType { get; }

    internal override DynamicYieldEventProperties ToProperties() => new()
    {
        DyType = _dyType,
        HashedEmail = HashedEmail,
        CuidType = CuidType,
        Cuid = Cuid,
    };
}
