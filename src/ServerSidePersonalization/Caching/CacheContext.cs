using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.Caching;

/// <summary>
/// Names the entries of one request: a SHA-256 over the user id the provider decides for, the provider, the custom
/// in-session attributes it is given (event-only ones are not) and the page type and data,
/// so a different user, provider or <c>utm_source</c> is a different entry, and no raw id ever reaches a key.
/// The hash is also the key's Redis hash tag: all the entries of one request sit in one cluster slot, so the one MGET
/// that reads them works on a Redis Cluster too.
/// </summary>
internal static class CacheContext
{
    /// <summary>Bumped when the entry format changes, so old entries are simply not found.</summary>
    public const string KeyPrefix = "ssp:v2:";

    public static string Hash(string userId, string provider, ExperienceRequest request)
    {
        var text = new StringBuilder(userId.Length + provider.Length + 64)
            .Append(provider).Append('\n').Append(userId);
        foreach (var (name, value) in request.Attributes.Custom.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            text.Append('\n').Append(name).Append('=').Append(value);
        }

        // The page type and data change a provider's answer (recommendations for this product); the URL does not key.
        if (request.Page.Type is { } type)
        {
            text.Append("\n\u001fpage=").Append(type);
            foreach (var value in request.Page.Data)
            {
                text.Append('\u001f').Append(value);
            }
        }

        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text.ToString(), bytes);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes.AsSpan(0, length), hash);
            return Convert.ToHexStringLower(hash[..16]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>
    /// The key of one experience's entry, the same in L1 and L2: <c>ssp:v2:{context hash}:provider:experience key</c>,
    /// braces literal. Redis hashes only what is inside the first <c>{...}</c>; the prefix holds no brace and the hash
    /// is hex, so the tag is always the hash, whatever braces a provider name or experience key holds.
    /// </summary>
    public static string EntryKey(string provider, string contextHash, string experienceKey) =>
        string.Concat(KeyPrefix, "{", contextHash, "}:", provider, ":", experienceKey);
}
