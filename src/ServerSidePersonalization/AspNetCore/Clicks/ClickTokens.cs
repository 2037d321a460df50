using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.AspNetCore.Clicks;

/// <summary>
/// Signs a <see cref="ClickToken"/> into short query-string-safe text and verifies it again, so a tracked link can
/// neither be forged nor be pointed somewhere else. Signed, not encrypted: what a link carries is the visitor's own
/// attribution, and the owner is carried as keyed hashes. The key comes from the app's Data Protection key ring
/// (<see cref="ClickKeys"/>), so every instance sharing that ring agrees; expiry is read on the app's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class ClickTokens
{
    /// <summary>
    /// The longest token text accepted or handed out: a link must fit the server's request line (Kestrel's default is
    /// 8 KB), and anything longer is refused before any decoding work.
    /// </summary>
    public const int MaxLength = 6144;

    // A link's tokens are kept per experience instance: an L1 entry serves the same one to every page of its user, and a
    // provider may share one instance among many users (the Local provider has one per variation), so the bound is per
    // (link, user) and generous. Beyond it tokens are minted each time and not kept: clearing the set instead made
    // every user of a shared instance mint on every page once more users than the bound browsed it.
    private const int MaxLinksPerExperience = 4096;

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly ClickKeys _keys;
    private readonly ReportedFields _fields;
    private readonly TimeProvider _time;
    private readonly ConditionalWeakTable<Experience, ConcurrentDictionary<Link, Minted>> _minted = [];

    public ClickTokens(ClickKeys keys, ReportedFields fields, TimeProvider time, IOptions<PersonalizationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = keys;
        _fields = fields;
        _time = time;
        Options = options.Value.Clicks;
    }

    /// <summary>The endpoint's path, allowed hosts and token lifetime.</summary>
    public ClickOptions Options { get; }

    /// <summary>
    /// The token of a tracked link to <paramref name="target"/> on <paramref name="experience"/>, rendered for
    /// <paramref name="owner"/>: the one minted for the same experience, link and user before while at least half its
    /// lifetime remains and its key is still the one to sign with, else a new one. Null when there is no key to sign with.
    /// </summary>
    public string? ForLink(Experience experience, string? elementId, string? slotId, string target, VisitorIdentity owner, string? action)
    {
        ArgumentNullException.ThrowIfNull(experience);
        ArgumentNullException.ThrowIfNull(owner);
        if (_keys.Signing() is not { } key)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var links = _minted.GetOrAdd(experience, static _ => new ConcurrentDictionary<Link, Minted>());
        var link = new Link(elementId, slotId, target, action, owner.VisitorId, owner.CustomerId);
        if (links.TryGetValue(link, out var minted) && minted.KeyId == key.Id && minted.Expires - now >= Options.TokenLifetime / 2)
        {
            return minted.Text;
        }

        var expires = now + Options.TokenLifetime;
        var token = ClickToken.Create(experience.Key, experience.Attribution, elementId, slotId, target, owner, action, _fields.From(experience));
        var text = Sign(token, key, expires);
        if (links.Count < MaxLinksPerExperience || links.ContainsKey(link))
        {
            links[link] = new Minted(text, expires, key.Id);
        }

        return text;
    }

    /// <summary>Signs <paramref name="token"/>, valid for <see cref="ClickOptions.TokenLifetime"/>.</summary>
    public string Protect(ClickToken token) => Protect(token, _time.GetUtcNow() + Options.TokenLifetime);

    /// <summary>Signs <paramref name="token"/>, valid until <paramref name="expiration"/>.</summary>
    internal string Protect(ClickToken token, DateTimeOffset expiration)
    {
        ArgumentNullException.ThrowIfNull(token);
        var key = _keys.Signing() ?? throw new InvalidOperationException("The Data Protection key ring has no key whose secret can sign click tokens.");
        return Sign(token, key, expiration);
    }

    /// <summary>
    /// Verifies a token; false, never an exception, when it is missing, too long, not base64url, truncated, tampered
    /// with, expired, of another version, signed by another key ring or a revoked key, or does not hold a complete
    /// <see cref="ClickToken"/>.
    /// </summary>
    public bool TryUnprotect(string? text, [NotNullWhen(true)] out ClickToken? token)
    {
        token = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        // The decoder skips whitespace and padding; only the alphabet this class writes is accepted (IsValid also refuses
        // non-zero unused bits), so every change to the text is a different token.
        if (text.AsSpan().ContainsAnyExcept(Base64UrlAlphabet) || !Base64Url.IsValid(text, out var length))
        {
            return false;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (Base64Url.DecodeFromChars(text, bytes, out _, out var written) != OperationStatus.Done)
            {
                return false;
            }

            token = Verify(bytes.AsSpan(0, written));
            return token is not null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private ClickToken? Verify(ReadOnlySpan<byte> bytes)
    {
        if (!ClickTokenFormat.TryReadHeader(bytes, out var version, out var keyId, out var expiry)
            || version != ClickTokenFormat.Version
            || _keys.Verifying(keyId) is not { } key)
        {
            return null;
        }

        var signed = bytes[..^ClickTokenFormat.MacBytes];
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key.Mac, signed, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..ClickTokenFormat.MacBytes], bytes[^ClickTokenFormat.MacBytes..])
            || _time.GetUtcNow().ToUnixTimeSeconds() >= expiry)
        {
            return null;
        }

        return ClickTokenFormat.ReadFields(signed[ClickTokenFormat.HeaderBytes..], key.Owner) is { } token && token.IsComplete() ? token : null;
    }

    private static string Sign(ClickToken token, ClickKey key, DateTimeOffset expiration)
    {
        var expiry = (uint)Math.Clamp(expiration.ToUnixTimeSeconds(), 0, uint.MaxValue);
        var buffer = ArrayPool<byte>.Shared.Rent(ClickTokenFormat.MaxSize(token) + HMACSHA256.HashSizeInBytes);
        try
        {
            var length = ClickTokenFormat.Write(token, key.ShortId, expiry, key.Owner, buffer);
            HMACSHA256.HashData(key.Mac, buffer.AsSpan(0, length), buffer.AsSpan(length, HMACSHA256.HashSizeInBytes));
            return Base64Url.EncodeToString(buffer.AsSpan(0, length + ClickTokenFormat.MacBytes));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private readonly record struct Link(string? ElementId, string? SlotId, string Target, string? Action, string? VisitorId, string? CustomerId);

    private sealed record Minted(string Text, DateTimeOffset Expires, Guid KeyId);
}
