namespace ServerSidePersonalization.Identity;

/// <summary>Who the visitor of one request is, as far as the configured sources tell.</summary>
public sealed class VisitorIdentity
{
    private static readonly IReadOnlyDictionary<string, string> NoIdentifiers = new Dictionary<string, string>(0);

    /// <summary>Creates an identity; the middleware does this once per request.</summary>
    /// <param name="customerId">The known customer's id, or null for an anonymous visitor.</param>
    /// <param name="visitorId">The anonymous visitor id, or null when there is none and none could be issued.</param>
    /// <param name="sessionId">The session id, when a source provides one.</param>
    /// <param name="isNewVisitor">Whether <paramref name="visitorId"/> was issued on this request.</param>
    /// <param name="identifiers">Every valid id found, by where it was found.</param>
    public VisitorIdentity(
        string? customerId,
        string? visitorId,
        string? sessionId = null,
        bool isNewVisitor = false,
        IReadOnlyDictionary<string, string>? identifiers = null)
    {
        CustomerId = customerId;
        VisitorId = visitorId;
        SessionId = sessionId;
        IsNewVisitor = isNewVisitor;
        Identifiers = identifiers ?? NoIdentifiers;
    }

    /// <summary>An identity with no ids at all.</summary>
    public static VisitorIdentity Anonymous { get; } = new(null, null);

    /// <summary>The customer id of a known (signed-in) user; null for anonymous visitors.</summary>
    public string? CustomerId { get; }

    /// <summary>The anonymous visitor id (first-party cookie or a vendor's device id); null when none is known.</summary>
    public string? VisitorId { get; }

    /// <summary>The session id, when a source provides one (for example a vendor's session cookie).</summary>
    public string? SessionId { get; }

    /// <summary>True when the visitor cookie was issued on this request.</summary>
    public bool IsNewVisitor { get; }

    /// <summary>The id experiences are decided for: the customer id, else the visitor id.</summary>
    public string? UserId => CustomerId ?? VisitorId;

    /// <summary>
    /// Every valid id found on the request, keyed by where it was found: a cookie name (<c>moe_uuid</c>,
    /// <c>_dyid</c>, the visitor cookie), <c>claim</c> or <c>header</c>. Vendors read their own ids from here.
    /// </summary>
    public IReadOnlyDictionary<string, string> Identifiers { get; }
}
