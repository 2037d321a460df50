using Microsoft.AspNetCore.Http;

namespace ServerSidePersonalization.Identity;

/// <summary>
/// Anonymous ids from cookies: the site's own visitor cookie, or a vendor's device id cookie. Visitor cookies are
/// read in the given order; each valid one is also kept under its cookie name in
/// <see cref="VisitorIdentity.Identifiers"/>.
/// </summary>
internal sealed class CookieIdentitySource(string name, IReadOnlyList<string> visitorCookies, string? sessionCookie = null)
    : IIdentitySource
{
    public string Name => name;

    public void Read(HttpContext context, IdentityCollector collector)
    {
        var cookies = context.Request.Cookies;
        if (cookies.Count == 0)
        {
            return;
        }

        foreach (var cookie in visitorCookies)
        {
            collector.OfferVisitorId(cookies[cookie], cookie);
        }

        if (sessionCookie is not null)
        {
            collector.OfferSessionId(cookies[sessionCookie], sessionCookie);
        }
    }
}
