using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>Dynamic Yield's cookies: the user id set by the server or the script, and the session id.</summary>
internal static class DynamicYieldIdentity
{
    public const string ServerUserIdCookie = "_dyid_server";
    public const string UserIdCookie = "_dyid";
    public const string SessionCookie = "_dyjsession";

    public static IIdentitySource CreateSource() =>
        new CookieIdentitySource(DynamicYieldOptions.Name, [ServerUserIdCookie, UserIdCookie], SessionCookie);
}
