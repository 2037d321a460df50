using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Vendors.Optimizely;

/// <summary>
/// Who a visitor is to ODP, in its identity model and nothing more (a wrongly created identifier merges customers):
/// <c>vuid</c>, ODP's own device id, from the web SDK's <c>vuid</c> cookie, else the site's visitor id; <c>email</c>
/// when the signed-in customer's id is an email address (the address itself: ODP is the site's own customer data
/// platform and keeps the address as a messaging identifier); and the customer id under
/// <see cref="OptimizelyOptions.CustomerIdentifier"/> only when that names a custom identifier field.
/// </summary>
internal static class OptimizelyIdentifiers
{
    public const string Vuid = "vuid";
    public const string Email = "email";

    /// <summary>The identifiers of <paramref name="identity"/>; empty when it has none ODP could use.</summary>
    public static Dictionary<string, string> For(VisitorIdentity identity, OptimizelyOptions options, string visitorCookie)
    {
        var identifiers = new Dictionary<string, string>(StringComparer.Ordinal);
        if ((identity.Identifiers.GetValueOrDefault(OptimizelyNames.VuidCookie) ?? identity.Identifiers.GetValueOrDefault(visitorCookie)) is { } vuid)
        {
            identifiers[Vuid] = vuid;
        }

        if (identity.CustomerId is { } customer)
        {
            if (IdentifierValidator.LooksLikeEmail(customer))
            {
                identifiers[Email] = customer.Trim();
            }

            if (options.CustomerIdentifier is { } field)
            {
                identifiers[field] = customer;
            }
        }

        return identifiers;
    }
}
