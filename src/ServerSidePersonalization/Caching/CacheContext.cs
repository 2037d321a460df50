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

    private const string PageMarker = "\n\u001fpage=";

    public static string Hash(string userId, string provider, ExperienceRequest request)
    {
        // The text hashed is provider \n user id, then \n name=value per custom attribute in ordinal order, then
        // \n\u001fpage=type and \u001f value per page datum; written straight into pooled bytes (every piece is
        // separated by ASCII, so encoding piece by piece gives the bytes of the whole text).
        var custom = request.Attributes.Custom;
        var page = request.Page;
        var chars = provider.Length + 1 + userId.Length;
        foreach (var (name, value) in custom)
        {
            chars += 2 + name.Length + value.Length;
        }

        if (page.Type is { } pageType)
        {
            chars += PageMarker.Length + pageType.Length;
            foreach (var value in page.Data)
            {
                chars += 1 + value.Length;
            }
        }

        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(chars));
        try
        {
            var length = Encoding.UTF8.GetBytes(provider, bytes);
            bytes[length++] = (byte)'\n';
            length += Encoding.UTF8.GetBytes(userId, bytes.AsSpan(length));
            if (custom.Count == 1)
            {
                foreach (var (name, value) in custom)
                {
                    length = Append(bytes, length, name, value);
                }
            }
            else if (custom.Count > 1)
            {
                var sorted = custom.ToArray();
                Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
                foreach (var (name, value) in sorted)
                {
                    length = Append(bytes, length, name, value);
                }
            }

            // The page type and data change a provider's answer (recommendations for this product); the URL does not key.
            if (page.Type is { } type)
            {
                length += Encoding.UTF8.GetBytes(PageMarker, bytes.AsSpan(length));
                length += Encoding.UTF8.GetBytes(type, bytes.AsSpan(length));
                foreach (var value in page.Data)
                {
                    bytes[length++] = 0x1F;
                    length += Encoding.UTF8.GetBytes(value, bytes.AsSpan(length));
                }
            }

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes.AsSpan(0, length), hash);
            return Convert.ToHexStringLower(hash[..16]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static int Append(byte[] bytes, int length, string name, string value)
    {
        bytes[length++] = (byte)'\n';
        length += Encoding.UTF8.GetBytes(name, bytes.AsSpan(length));
        bytes[length++] = (byte)'=';
        return length + Encoding.UTF8.GetBytes(value, bytes.AsSpan(length));
    }

    /// <summary>
    /// The key of one experience's entry, the same in L1 and L2: <c>ssp:v2:{context hash}:provider:experience key</c>,
    /// braces literal. Redis hashes only what is inside the first <c>{...}</c>; the prefix holds no brace and the hash
    /// is hex, so the tag is always the hash, whatever braces a provider name or experience key holds.
    /// </summary>
    public static string EntryKey(string provider, string contextHash, string experienceKey) =>
        string.Concat(KeyPrefix, "{", contextHash, "}:", provider, ":", experienceKey);
}
