using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>Turns an email address into the <c>hashedEmail</c> Dynamic Yield's identifying events carry.</summary>
public static class DynamicYieldEmail
{
    /// <summary>
    /// The SHA-256 of the trimmed, lower-cased address, as 64 lower-case hex digits, the form Dynamic Yield's
    /// <c>hashedEmail</c> takes (and a <c>cuid</c> where the site chose hashed emails as its CUID type).
    /// </summary>
    /// <param name="email">The raw address, such as <c>Jane.Doe@Example.com </c>.</param>
    public static string Hash(string email)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        return IdentifierValidator.HashEmail(email);
    }
}
