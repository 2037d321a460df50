namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>
/// Ties the device's user to a customer across channels (<c>identify-v1</c>), for when the site learns who the visitor
/// is other than by a login or sign-up. It needs a <c>hashedEmail</c> or a <c>cuid</c>.
/// </summary>
public sealed class IdentifyEvent : CustomerEvent
{
    /// <summary>The display name used when none is given.</summary>
    public const string DefaultName = "Identify User";

    /// <summary>Creates an identify event; pass exactly one of <paramref name="hashedEmail"/> and <paramref name="cuid"/>.</summary>
    /// <param name="hashedEmail">The customer's address hashed by <see cref="DynamicYieldEmail.Hash"/>.</param>
    /// <param name="cuid">Another customer id, such as a CRM id.</param>
    /// <param name="cuidType">The kind of <paramref name="cuid"/>, such as <c>crmId</c>; Dynamic Yield's <c>id</c> when null.</param>
    /// <param name="name">The display name; <see cref="DefaultName"/> when null.</param>
    /// <exception cref="ArgumentException">
    /// Neither id is given (<c>ParamName</c> <c>hashedEmail</c>), a value is malformed, or the ids conflict; <c>ParamName</c> is the field.
    /// </exception>
    public IdentifyEvent(string? hashedEmail = null, string? cuid = null, string? cuidType = null, string? name = null)
        : base("identify-v1", name ?? DefaultName, hashedEmail, cuid, cuidType, required: true)
    {
    }
}
