using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.AspNetCore.Clicks;

/// <summary>
/// The user a tracked link was rendered for, and the check that a click comes from that same user. A link that reaches
/// someone else (shared, pasted, followed by a mail scanner) would otherwise report the renderer's variation under the
/// clicker's id: a click without an impression. At render time it holds the ids; a token carries only keyed hashes of
/// them (HMAC-SHA256 under a key derived from the app's key ring, truncated), since the token is signed, not encrypted:
/// a customer id such as an email address must not be recoverable from a link by trying candidates.
/// </summary>
internal sealed class ClickOwner
{
    /// <summary>Bytes kept per id hash: 128 bits.</summary>
    public const int HashBytes = 16;

    /// <summary>At most the visitor id and the customer id.</summary>
    public const int MaxIds = 2;

    private readonly string[]? _ids;
    private readonly byte[]? _hashes;
    private readonly byte[]? _key;

    private ClickOwner(string[]? ids, byte[]? hashes, byte[]? key)
    {
        _ids = ids;
        _hashes = hashes;
        _key = key;
    }

    /// <summary>How many ids the owner has (one or two).</summary>
    public int Count => _ids?.Length ?? _hashes!.Length / HashBytes;

    /// <summary>
    /// The owner of a link rendered for <paramref name="identity"/>: its visitor id and, when signed in, its customer id,
    /// so a visitor who signs in between seeing the link and clicking it still matches. Null when the renderer had no id.
    /// </summary>
    public static ClickOwner? Of(VisitorIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var visitor = identity.VisitorId is { Length: > 0 } v ? v : null;
        var customer = identity.CustomerId is { Length: > 0 } c ? c : null;
        string[]? ids = (visitor, customer) switch
        {
            (null, null) => null,
            (not null, null) => [visitor],
            (null, not null) => [customer],
            _ when visitor == customer => [visitor],
            _ => [visitor, customer],
        };
        return ids is null ? null : new ClickOwner(ids, null, null);
    }

    /// <summary>The owner a token names: <see cref="HashBytes"/> per id, made with <paramref name="ownerKey"/>.</summary>
    public static ClickOwner FromHashes(byte[] hashes, byte[] ownerKey)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentNullException.ThrowIfNull(ownerKey);
        return new ClickOwner(null, hashes, ownerKey);
    }

    /// <summary>Writes the hash of each id with <paramref name="ownerKey"/> into <paramref name="destination"/>, <see cref="HashBytes"/> each.</summary>
    public void WriteHashes(ReadOnlySpan<byte> ownerKey, Span<byte> destination)
    {
        if (_ids is null)
        {
            _hashes.CopyTo(destination);
            return;
        }

        for (var i = 0; i < _ids.Length; i++)
        {
            Hash(ownerKey, _ids[i], destination.Slice(i * HashBytes, HashBytes));
        }
    }

    /// <summary>
    /// Whether a click by <paramref name="clicker"/> is one by the user the link was rendered for: true when the link
    /// names no owner (rendered for a visitor without ids), or when any id of the clicking request (its visitor id, its
    /// customer id, or any other id found on it) is one of the owner's.
    /// </summary>
    public static bool IsOwnedBy(ClickOwner? owner, VisitorIdentity clicker)
    {
        ArgumentNullException.ThrowIfNull(clicker);
        if (owner is null)
        {
            return true;
        }

        // The other ids cover a source order that names a different visitor id than at render time (a vendor's device
        // cookie set by the rendered page, read before the site's own visitor cookie).
        if (owner.Matches(clicker.VisitorId) || owner.Matches(clicker.CustomerId))
        {
            return true;
        }

        foreach (var id in clicker.Identifiers.Values)
        {
            if (owner.Matches(id))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The keyed hash of one id, <see cref="HashBytes"/> long.</summary>
    internal static void Hash(ReadOnlySpan<byte> ownerKey, string id, Span<byte> destination)
    {
        var length = Encoding.UTF8.GetMaxByteCount(id.Length);
        var rented = length > 256 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[256];
        try
        {
            var written = Encoding.UTF8.GetBytes(id, utf8);
            Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(ownerKey, utf8[..written], digest);
            digest[..HashBytes].CopyTo(destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private bool Matches(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return false;
        }

        if (_ids is not null)
        {
            return Array.IndexOf(_ids, id) >= 0;
        }

        Span<byte> hash = stackalloc byte[HashBytes];
        Hash(_key, id, hash);
        for (var i = 0; i < _hashes!.Length; i += HashBytes)
        {
            if (CryptographicOperations.FixedTimeEquals(_hashes.AsSpan(i, HashBytes), hash))
            {
                return true;
            }
        }

        return false;
    }
}
