namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>
/// A registered user signed in (<c>login-v1</c>). With a <c>hashedEmail</c> or a <c>cuid</c> it also ties the device's
/// user to that customer across channels; without one it only reports the login.
/// </summary>
public sealed class LoginEvent : CustomerEvent
{
    /// <summary>The display name used when none is given.</summary>
    public const string DefaultName = "Login";

    /// <summary>Creates a login event; pass at most one of <paramref name="hashedEmail"/> and <paramref name="cuid"/>.</summary>
    /// <param name="hashedEmail">The customer's address hashed by <see cref="DynamicYieldEmail.Hash"/>; optional.</param>
    /// <param name="cuid">Another customer id, such as a CRM id; optional.</param>
    /// <param name="cuidType">The kind of <paramref name="cuid"/>, such as <c>crmId</c>; Dynamic Yield's <c>id</c> when null.</param>
    /// <param name="name">The display name; <see cref="DefaultName"/> when null.</param>
    /// <exception cref="ArgumentException">A value is malformed or the ids conflict; <c>ParamName</c> is the field.</exception>
    public LoginEvent(string? hashedEmail = null, string? cuid = null, string? cuidType = null, string? name = null)
        : base("login-v1", name ?? DefaultName, hashedEmail, cuid, cuidType, required: false)
    {
    }
}
