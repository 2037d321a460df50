namespace ServerSidePersonalization.Identity;

/// <summary>Names of the core identity sources, for <see cref="VisitorIdentityOptions.Order"/>; vendor modules add their own.</summary>
public static class IdentitySources
{
    /// <summary>The signed-in user's claims (customer id).</summary>
    public const string Claims = "Claims";

    /// <summary>The trusted header named by <see cref="VisitorIdentityOptions.CustomerIdHeader"/> (customer id).</summary>
    public const string Header = "Header";

    /// <summary>The site's own visitor cookie (visitor id).</summary>
    public const string VisitorCookie = "VisitorCookie";
}
