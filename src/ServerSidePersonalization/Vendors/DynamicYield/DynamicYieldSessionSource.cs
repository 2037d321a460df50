using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Privacy;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>
/// API-only mode's session: a first-party cookie <c>ssp_dysid</c> holding a random id and the time of the last request.
/// A request after <see cref="DynamicYieldOptions.SessionIdleTimeout"/> of silence starts a new session, so
/// <c>session.custom</c> means what Dynamic Yield means by a session, not the visitor's whole year. The time is kept in
/// the cookie (not the cookie's expiry) so the server's clock decides. Nothing is issued or refreshed for a request that may not be tracked (no consent, Global Privacy Control, a bot).
/// </summary>
internal sealed class DynamicYieldSessionSource(IOptions<DynamicYieldOptions> options, TimeProvider time, VisitorIdGenerator ids) : IIdentitySource
{
    public const string SourceName = "DynamicYieldSession";
    public const string CookieName = "ssp_dysid";

    /// <summary>How stale the stored time may get before the cookie is rewritten; saves a Set-Cookie on most requests.</summary>
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(1);

    public string Name => SourceName;

    public void Read(HttpContext context, IdentityCollector collector)
    {
        var settings = options.Value;
        if (settings.Mode != DynamicYieldMode.ApiOnly)
        {
            return;
        }

        var now = time.GetUtcNow();
        var canSetCookie = RequestPrivacy.AllowsCookies(context);
        var (id, lastSeen) = Parse(context.Request.Cookies[CookieName]);
        if (id is not null && now - lastSeen < settings.SessionIdleTimeout && now >= lastSeen)
        {
            if (now - lastSeen >= RefreshAfter && canSetCookie)
            {
                Issue(context, id, now, settings.SessionIdleTimeout);
            }

            collector.OfferSessionId(id, CookieName);
            return;
        }

        if (context.Response.HasStarted || !canSetCookie)
        {
            return;
        }

        id = ids.NewId();
        Issue(context, id, now, settings.SessionIdleTimeout);
        collector.OfferSessionId(id, CookieName);
    }

    private static (string? Id, DateTimeOffset LastSeen) Parse(string? value)
    {
        var dot = value?.LastIndexOf('.') ?? -1;
        if (dot is <= 0 or > 64
            || !long.TryParse(value.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || value.AsSpan(0, dot).ContainsAnyExcept(HexDigits))
        {
            return (null, default);
        }

        return (value![..dot], DateTimeOffset.FromUnixTimeSeconds(seconds));
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");

    private static void Issue(HttpContext context, string id, DateTimeOffset now, TimeSpan idle)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Cookies.Append(CookieName, string.Create(CultureInfo.InvariantCulture, $"{id}.{now.ToUnixTimeSeconds()}"), new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = idle,
            IsEssential = false,
        });
    }
}
