using System.Security.Cryptography;
using System.Text;

namespace ServerSidePersonalization.Identity;

/// <summary>Decides whether a value from a cookie, header or claim may be used as an id.</summary>
internal sealed class IdentifierValidator(int maxLength, bool hashEmails)
{
    /// <summary>
    /// Printable ASCII only, no whitespace and none of the characters that would break a cookie or header value
    /// (<c>"</c>, <c>,</c>, <c>;</c>, <c>\</c>), and no longer than the configured limit.
    /// </summary>
    public bool IsValid(string value)
    {
        if (value.Length == 0 || value.Length > maxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is <= ' ' or > '~' or '"' or ',' or ';' or '\\')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An email address becomes the SHA-256 of its lower-cased form, so no raw address leaves the site.</summary>
    public string NormalizeCustomerId(string value) =>
        hashEmails && LooksLikeEmail(value) ? HashEmail(value) : value;

    internal static string HashEmail(string email)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant()), hash);
        return Convert.ToHexStringLower(hash);
    }

    private static bool LooksLikeEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == value.LastIndexOf('@') && value.IndexOf('.', at) > at + 1 && value[^1] != '.';
    }
}
