namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>How users are identified to Dynamic Yield; the site chooses one for all its visitors.</summary>
public enum DynamicYieldMode
{
    /// <summary>
    /// Dynamic Yield's ids: <c>user.dyid</c>/<c>dyid_server</c> from the <c>_dyid_server</c>/<c>_dyid</c> cookies and
    /// <c>session.dy</c> from <c>_dyjsession</c>; a visitor without them gets them from the first choose answer.
    /// </summary>
    Web,

    /// <summary>
    /// The site's ids: <c>user.id</c> is the site's visitor id (one per device, kept at login) and <c>session.custom</c>
    /// a session id that ends after <see cref="DynamicYieldOptions.SessionIdleTimeout"/> without a request.
    /// </summary>
    ApiOnly,
}
