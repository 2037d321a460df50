using System.Security.Cryptography;
using System.Text;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.AspNetCore.Clicks;

/// <summary>
/// The user a tracked link was rendered for, as salted, truncated SHA-256 hashes of their ids, and the check that a
/// click comes from that same user. A link that reaches someone else (shared, pasted, followed by a mail scanner) would
/// otherwise report the renderer's variation under the clicker's id: a click without an impression.
/// </summary>
internal static class ClickOwner
{
    /// <summary>Bytes of SHA-256 kept per id: 128 bits, written as 32 lower-case hex characters.</summary>
    public const int HashBytes = 16;

    // Not a secret: the hashes only travel inside the sealed token. The salt keeps them from equalling any other hash
    // of the same ids (the Local destination writes plain SHA-256 prefixes of user ids to a file).
    private static ReadOnlySpan<byte> Salt => "ServerSidePersonalization.Clicks.Owner.v1"u8;

    /// <summary>
    /// The hashes sealed into a link rendered for <paramref name="identity"/>: its visitor id and, when signed in, its
    /// customer id, so a visitor who signs in between seeing the link and clicking it still matches. Null when the
    /// renderer had no id at all.
    /// </summary>
    public static IReadOnlyList<string>? Of(VisitorIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var visitor = identity.VisitorId is { Length: > 0 } v ? Hash(v) : null;
        var customer = identity.CustomerId is { Length: > 0 } c ? Hash(c) : null;
        return (visitor, customer) switch
        {
            (null, null) => null,
            (not null, null) => [visitor],
            (null, not null) => [customer],
            _ when visitor == customer => [visitor],
            _ => [visitor, customer],
        };
    }

    /// <summary>
    /// Whether a click by <paramref name="clicker"/> is one by the user the link was rendered for: true when the link
    /// names no owner (rendered for a visitor without ids, or before links carried one), or when any id of the clicking
    /// request (its visitor id, its customer id, or any other id found on it) hashes to one of the owner's.
    /// </summary>
    public static bool IsOwnedBy(IReadOnlyList<string>? owner, VisitorIdentity clicker)
    {
        ArgumentNullException.ThrowIfNull(clicker);
        if (owner is null || owner.Count == 0)
        {
            return true;
        }

        // The other ids cover a source order that names a different visitor id than at render time (a vendor's device
        // cookie set by the rendered page, read before the site's own visitor cookie).
        return Matches(owner, clicker.VisitorId)
            || Matches(owner, clicker.CustomerId)
            || clicker.Identifiers.Values.Any(id => Matches(owner, id));
    }

    /// <summary>The owner hash of one id.</summary>
    internal static string Hash(string id)
    {
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Salt, Encoding.UTF8.GetBytes(id), digest);
        return Convert.ToHexStringLower(digest[..HashBytes]);
    }

    private static bool Matches(IReadOnlyList<string> owner, string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return false;
        }

        var hash = Hash(id);
        foreach (var candidate in owner)
        {
            if (string.Equals(candidate, hash, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
