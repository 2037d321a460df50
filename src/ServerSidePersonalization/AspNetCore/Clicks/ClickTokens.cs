using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.AspNetCore.Clicks;

/// <summary>
/// Seals a <see cref="ClickToken"/> into query-string-safe text with ASP.NET Core Data Protection (its own purpose, an
/// expiry) and opens it again, so a tracked link can neither be forged nor be pointed somewhere else.
/// </summary>
internal sealed class ClickTokens
{
    /// <summary>
    /// The Data Protection purpose; a new token format gets a new version so old links fail cleanly. An added optional
    /// field is not a new format: links sealed before <see cref="ClickToken.Owner"/> existed still open, as links
    /// anyone may click.
    /// </summary>
    public const string Purpose = "ServerSidePersonalization.Clicks.v1";

    /// <summary>
    /// The longest token text accepted or handed out: a link must fit the server's request line (Kestrel's default is
    /// 8 KB), and anything longer is refused before any decoding work.
    /// </summary>
    public const int MaxLength = 6144;

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly ITimeLimitedDataProtector _protector;

    public ClickTokens(IDataProtectionProvider dataProtection, IOptions<PersonalizationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(dataProtection);
        ArgumentNullException.ThrowIfNull(options);
        _protector = dataProtection.CreateProtector(Purpose).ToTimeLimitedDataProtector();
        Options = options.Value.Clicks;
    }

    /// <summary>The endpoint's path, allowed hosts and token lifetime.</summary>
    public ClickOptions Options { get; }

    /// <summary>Seals <paramref name="token"/>, valid for <see cref="ClickOptions.TokenLifetime"/>.</summary>
    public string Protect(ClickToken token)
    {
        // The time-limited protector checks expiry against the system clock, not a TimeProvider, so the expiry is
        // taken from that same clock: an application clock set elsewhere must not produce links born expired.
        return Protect(token, DateTimeOffset.UtcNow + Options.TokenLifetime);
    }

    /// <summary>Seals <paramref name="token"/>, valid until <paramref name="expiration"/>.</summary>
    internal string Protect(ClickToken token, DateTimeOffset expiration)
    {
        ArgumentNullException.ThrowIfNull(token);
        var json = JsonSerializer.SerializeToUtf8Bytes(token, ClickJsonContext.Default.ClickToken);
        return Base64Url.EncodeToString(_protector.Protect(json, expiration));
    }

    /// <summary>
    /// Opens a token; false, never an exception, when it is missing, too long, not base64url, tampered with,
    /// expired, sealed for another purpose or by another key ring, or does not hold a complete <see cref="ClickToken"/>.
    /// </summary>
    public bool TryUnprotect(string? text, [NotNullWhen(true)] out ClickToken? token)
    {
        token = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        // The decoder throws on bad input and skips whitespace and padding; only the alphabet this class writes is
        // accepted (IsValid also refuses non-zero unused bits), so every change to the text is a different token.
        if (text.AsSpan().ContainsAnyExcept(Base64UrlAlphabet) || !Base64Url.IsValid(text))
        {
            return false;
        }

        var sealedBytes = Base64Url.DecodeFromChars(text);

        byte[] json;
        try
        {
            json = _protector.Unprotect(sealedBytes, out _);
        }
        catch (CryptographicException)
        {
            return false;
        }

        ClickToken? opened;
        try
        {
            opened = JsonSerializer.Deserialize(json, ClickJsonContext.Default.ClickToken);
        }
        catch (JsonException)
        {
            return false;
        }

        if (opened is null || !opened.IsComplete())
        {
            return false;
        }

        token = opened;
        return true;
    }
}
