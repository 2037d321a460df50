using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Vendors.MoEngage;

/// <summary>
/// The one id a visitor is known to MoEngage by, the same for the fetch and for events, so an impression is reported
/// for the user its experience was fetched for. The document: <c>customer_id</c> is "any other unique ID used to uniquely
/// identify the user in MoEngage"; MoEngage's deviceID (<c>moe_uuid</c>) goes in <c>visitor_id</c> and "needs to be
/// sent only if the unique identifier for the user is not available"; its anonymous events example sends "identifier
/// for the user for the session" as <c>customer_id</c>, which is mandatory there.
/// </summary>
/// <param name="Id">The id, or null when the visitor has none MoEngage may be sent.</param>
/// <param name="IsDeviceId">Whether <paramref name="Id"/> is MoEngage's own device id.</param>
internal sealed record MoEngageUser(string? Id, bool IsDeviceId)
{
    /// <summary>An anonymous visitor with neither <c>moe_uuid</c> nor the site's cookie: fetched without ids, never reported.</summary>
    public static MoEngageUser Unidentified { get; } = new(null, IsDeviceId: false);

    /// <summary>The fetch's <c>customer_id</c>: the customer, or the site's visitor id of an anonymous visitor.</summary>
    public string? FetchCustomerId => IsDeviceId ? null : Id;

    /// <summary>The fetch's <c>visitor_id</c>: MoEngage's device id, sent only when there is no other id.</summary>
    public string? FetchVisitorId => IsDeviceId ? Id : null;

    /// <summary>
    /// Who <paramref name="identity"/> is to MoEngage, read from the ids by where they were found (so the identity
    /// order does not matter): the signed-in customer's id; else <c>moe_uuid</c>; else the site's visitor cookie. Null
    /// when the visitor must not be sent at all: anonymous with <see cref="MoEngageAnonymousVisitors.Skip"/>. The
    /// customer's id is sent as found, or an email address hashed with <see cref="MoEngageCustomerId.Sha256"/>.
    /// </summary>
    public static MoEngageUser? For(VisitorIdentity identity, MoEngageOptions options, string visitorCookie)
    {
        if (identity.CustomerId is { } customer)
        {
            var id = options.CustomerId == MoEngageCustomerId.Sha256 && IdentifierValidator.LooksLikeEmail(customer)
                ? IdentifierValidator.HashEmail(customer)
                : customer;
            return new MoEngageUser(id, IsDeviceId: false);
        }

        if (options.AnonymousVisitors == MoEngageAnonymousVisitors.Skip)
        {
            return null;
        }

        var ids = identity.Identifiers;
        return ids.GetValueOrDefault(MoEngageIdentity.DeviceIdCookie) is { } deviceId ? new MoEngageUser(deviceId, IsDeviceId: true)
            : ids.GetValueOrDefault(visitorCookie) is { } visitorId ? new MoEngageUser(visitorId, IsDeviceId: false)
            : Unidentified;
    }
}
