namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>
/// A visitor completed sign-up and became a registered user (<c>signup-v1</c>). With a <c>hashedEmail</c> or a <c>cuid</c> it also ties the device's
/// user to that customer across channels; without one it only reports the sign-up.
/// </summary>
public sealed class SignupEvent : CustomerEvent
{
    /// <summary>The display name used when none is given.</summary>
    public const string DefaultName = "Sign Up";

    /// <summary>Creates a sign-up event; pass at most one of <paramref name="hashedEmail"/> and <paramref name="cuid"/>.</summary>
    /// <param name="hashedEmail">The customer's address hashed by <see cref="DynamicYieldEmail.Hash"/>; optional.</param>
    /// <param name="cuid">Another customer id, such as a CRM id; optional.</param>
    /// <param name="cuidType">The kind of <paramref name="cuid"/>, such as <c>crmId</c>; Dynamic Yield's <c>id</c> when null.</param>
    /// <param name="name">The display name; <see cref="DefaultName"/> when null.</param>
    /// <exception cref="ArgumentException">A value is malformed or the ids conflict; <c>ParamName</c> is the field.</exception>
    public SignupEvent(string? hashedEmail = null, string? cuid = null, string? cuidType = null, string? name = null)
        : base("signup-v1", name ?? DefaultName, hashedEmail, cuid, cuidType, required: false)
    {
    }
}
