using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>Dynamic Yield's cookies: the user id set by the server or the script, and the session id.</summary>
internal static class DynamicYieldIdentity
{
    public const string ServerUserIdCookie = "_dyid_server";
    public const string UserIdCookie = "_dyid";
    public const string SessionCookie = "_dyjsession";

    /// <summary>
    /// Web mode reads Dynamic Yield's cookies. API-only mode reads none: they are not the site's ids there, and a
    /// leftover <c>_dyid</c> taken as the visitor id would keep the site from issuing its own visitor cookie, which is
    /// the only user id API-only mode reports (such a visitor would never be reported).
    /// </summary>
    public static IIdentitySource CreateSource(DynamicYieldMode mode) => mode == DynamicYieldMode.Web
        ? new CookieIdentitySource(DynamicYieldOptions.Name, [ServerUserIdCookie, UserIdCookie], SessionCookie)
        : new CookieIdentitySource(DynamicYieldOptions.Name, []);
}
