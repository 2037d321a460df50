using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>
/// The <c>user</c> and <c>session</c> objects every Dynamic Yield call carries, in the site's chosen mode. Web mode:
/// Dynamic Yield's own ids from its cookies (either user cookie stands in for the other: both hold the same id).
/// API-only mode: the site's visitor id, which stays the same when the visitor signs in (the customer id travels in
/// login and identify events instead), and the module's idle-bounded session id.
/// </summary>
internal static class DynamicYieldUsers
{
    /// <summary>The ids of <paramref name="identity"/>, or null (with the reason) when it has none Dynamic Yield knows.</summary>
    public static DynamicYieldIds? For(VisitorIdentity identity, DynamicYieldMode mode, string visitorCookie, out string? missing)
    {
        var ids = identity.Identifiers;
        missing = null;
        if (mode == DynamicYieldMode.Web)
        {
            var dyid = ids.GetValueOrDefault(DynamicYieldIdentity.UserIdCookie);
            var dyidServer = ids.GetValueOrDefault(DynamicYieldIdentity.ServerUserIdCookie);
            if (dyid is null && dyidServer is null)
            {
                missing = "no_dyid";
                return null;
            }

            var session = ids.GetValueOrDefault(DynamicYieldIdentity.SessionCookie);
            return new DynamicYieldIds(
                new DynamicYieldUser { Dyid = dyid ?? dyidServer, DyidServer = dyidServer ?? dyid },
                session is null ? null : new DynamicYieldSession { Dy = session });
        }

        if (DeviceId(identity, visitorCookie) is not { } id)
        {
            missing = "no_visitor_id";
            return null;
        }

        var custom = ids.GetValueOrDefault(DynamicYieldSessionSource.CookieName);
        return new DynamicYieldIds(new DynamicYieldUser { Id = id }, custom is null ? null : new DynamicYieldSession { Custom = custom });
    }

    /// <summary>
    /// The ids to report an event of <paramref name="identity"/> with; on a new visitor's first page view (no Dynamic
    /// Yield cookie on its request yet) those that page's choose answer created.
    /// </summary>
    public static DynamicYieldIds? ForEvent(
        VisitorIdentity identity, DynamicYieldMode mode, string visitorCookie, DynamicYieldNewUsers newUsers, out string? missing)
    {
        var ids = For(identity, mode, visitorCookie, out missing);
        if (ids is null && mode == DynamicYieldMode.Web && newUsers.Known(identity.UserId) is { } created)
        {
            missing = null;
            return created;
        }

        return ids;
    }

    /// <summary>
    /// The device-level id of API-only mode: the site's own visitor cookie, never the customer id (a sign-in must not
    /// make the same device a new Dynamic Yield user) and never another vendor's device id.
    /// </summary>
    public static string? DeviceId(VisitorIdentity identity, string visitorCookie) => identity.Identifiers.GetValueOrDefault(visitorCookie);
}

/// <summary>A visitor's Dynamic Yield <c>user</c> and (when known) <c>session</c>.</summary>
internal sealed record DynamicYieldIds(DynamicYieldUser User, DynamicYieldSession? Session);
