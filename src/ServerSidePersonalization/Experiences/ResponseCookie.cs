namespace ServerSidePersonalization.Experiences;

/// <summary>
/// A first-party cookie a provider asks to set on the visitor's browser (a vendor's user or session id from its
/// answer). It is set <c>HttpOnly</c>, <c>SameSite=Lax</c>, <c>Secure</c> on HTTPS, and never where consent forbids it.
/// </summary>
/// <param name="Name">The cookie's name.</param>
/// <param name="Value">The cookie's value.</param>
/// <param name="MaxAge">How long it lives; null for a session cookie.</param>
public sealed record ResponseCookie(string Name, string Value, TimeSpan? MaxAge);
