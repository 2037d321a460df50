using System.Security.Cryptography;
using System.Text;

namespace ServerSidePersonalization.Identity;

/// <summary>Decides whether a value from a cookie, header or claim may be used as an id.</summary>
internal sealed class IdentifierValidator(int maxLength)
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

    /// <summary>
    /// The SHA-256 of the trimmed, lower-cased address as 64 lower-case hex digits: the form vendors that ask for a hashed
    /// email expect. Ids are kept as found; a vendor module hashes only the fields its document asks to be hashed.
    /// </summary>
    internal static string HashEmail(string email)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant()), hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Whether <paramref name="value"/> has the shape of an email address (one @, a dot in the domain).</summary>
    internal static bool LooksLikeEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == value.LastIndexOf('@') && value.IndexOf('.', at) > at + 1 && value[^1] != '.';
    }
}
