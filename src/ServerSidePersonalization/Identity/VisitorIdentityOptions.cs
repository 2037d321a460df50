using System.ComponentModel.DataAnnotations;
using System.Security.Claims;

namespace ServerSidePersonalization.Identity;

/// <summary>How the visitor, customer and session ids of a request are found.</summary>
public sealed class VisitorIdentityOptions
{
    /// <summary>
    /// The core sources in their default order; vendor modules' sources (such as a vendor's device id cookie) follow
    /// them in the order the modules were added.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultOrder = [IdentitySources.Claims, IdentitySources.Header, IdentitySources.VisitorCookie];

    /// <summary>The claim types read for the customer id, first match wins.</summary>
    public static readonly IReadOnlyList<string> DefaultCustomerIdClaims = [ClaimTypes.NameIdentifier, "sub"];

    /// <summary>
    /// Sources in the order they are asked; for each kind of id (customer, visitor, session) the first valid value
    /// wins. Names are those of <see cref="IdentitySources"/> and of the vendor modules' sources (<c>MoEngage</c> for
    /// <c>moe_uuid</c>, <c>DynamicYield</c> for <c>_dyid</c>). Default (when empty) <see cref="DefaultOrder"/>, then every
    /// module's source.
    /// </summary>
    public IList<string> Order { get; } = [];

    /// <summary>The name of the site's own first-party visitor cookie. Default <c>ssp_vid</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$")]
    public string VisitorCookie { get; set; } = "ssp_vid";

    /// <summary>
    /// A request header that carries the customer id, set by a trusted proxy. Off (null) by default: only enable it
    /// when clients cannot send the header themselves.
    /// </summary>
    public string? CustomerIdHeader { get; set; }

    /// <summary>Claim types of the signed-in user read for the customer id. Default (when empty) <see cref="DefaultCustomerIdClaims"/>.</summary>
    public IList<string> CustomerIdClaims { get; } = [];

    /// <summary>Whether a visitor without any id gets a new visitor cookie. Default true.</summary>
    public bool IssueVisitorCookie { get; set; } = true;

    /// <summary>How long a new visitor cookie lives. Default 365 days; 1 to 400 days.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "400.00:00:00")]
    public TimeSpan VisitorCookieLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The longest id accepted from any source; longer ones are ignored. Default 256; 16 to 1024.</summary>
    [Range(16, 1024)]
    public int MaxIdLength { get; set; } = 256;

    /// <summary>
    /// Obsolete and ignored; default false. Customer ids are kept as found, so each vendor is sent the id it knows the
    /// user by; hashing an email customer id is each vendor module's own option. True only logs a warning at start-up.
    /// </summary>
    [Obsolete("Ignored: customer ids reach each vendor as found; set hashing per vendor (such as its CustomerId option).")]
    public bool HashEmailCustomerIds { get; set; }

    internal IReadOnlyList<string> EffectiveCustomerIdClaims => CustomerIdClaims.Count > 0 ? [.. CustomerIdClaims] : DefaultCustomerIdClaims;
}
