namespace ServerSidePersonalization.Identity;

/// <summary>Names of the identity sources, for <see cref="VisitorIdentityOptions.Order"/>.</summary>
public static class IdentitySources
{
    /// <summary>The signed-in user's claims (customer id).</summary>
    public const string Claims = "Claims";

    /// <summary>The trusted header named by <see cref="VisitorIdentityOptions.CustomerIdHeader"/> (customer id).</summary>
    public const string Header = "Header";

    /// <summary>The site's own visitor cookie (visitor id).</summary>
    public const string VisitorCookie = "VisitorCookie";

    /// <summary>MoEngage Web SDK's <c>moe_uuid</c> cookie (visitor id).</summary>
    public const string MoEngage = "MoEngage";

    /// <summary>Dynamic Yield's <c>_dyid_server</c> / <c>_dyid</c> (visitor id) and <c>_dyjsession</c> (session id) cookies.</summary>
    public const string DynamicYield = "DynamicYield";
}
