using System.Security.Cryptography;
using System.Text;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Vendors.Cardlytics;

/// <summary>
/// The <c>x-source-customer-id</c> of a visitor: the HMAC-SHA-256 (lower-case hex) of the signed-in customer's id under
/// <see cref="CardlyticsOptions.CustomerIdKey"/>, so Cardlytics never sees the raw id; <c>no-user-available</c> for an
/// anonymous visitor, and for everyone when no key is configured.
/// </summary>
internal sealed class CardlyticsCustomer(string? customerIdKey)
{
    public const string NoUser = "no-user-available";

    private readonly byte[]? _key = string.IsNullOrEmpty(customerIdKey) ? null : Encoding.UTF8.GetBytes(customerIdKey);

    public string SourceId(VisitorIdentity identity)
    {
        if (_key is null || identity.CustomerId is not { } customer)
        {
            return NoUser;
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(customer)));
    }
}
