using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.AspNetCore.Previews;

/// <summary>
/// Signs preview links and reads them back. A <c>pz-preview</c> value is either signed (Data Protection, its own purpose,
/// an expiry), accepted in any environment, or the plain <c>key:variation</c> form, accepted only in Development. Anything
/// else (malformed, forged, expired, unsigned in Production) is ignored: the page shows the ordinary experiences.
/// </summary>
internal sealed class ExperiencePreviews : IExperiencePreviews
{
    /// <summary>The query parameter a preview travels in.</summary>
    public const string Parameter = "pz-preview";

    /// <summary>A new token format gets a new version so old links fail cleanly.</summary>
    public const string Purpose = "ServerSidePersonalization.Previews.v1";

    /// <summary>The longest value read; anything longer is ignored before any decoding work.</summary>
    public const int MaxValueLength = 2048;

    public const int MaxVariationLength = 128;

    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);
    private static readonly string Marker = Parameter + "=";

    private readonly ITimeLimitedDataProtector _protector;
    private readonly SelectedProviders _providers;
    private readonly bool _development;
    private readonly ILogger<ExperiencePreviews> _logger;

    public ExperiencePreviews(
        IDataProtectionProvider dataProtection,
        SelectedProviders providers,
        ILogger<ExperiencePreviews> logger,
        IHostEnvironment? environment = null)
    {
        _protector = dataProtection.CreateProtector(Purpose).ToTimeLimitedDataProtector();
        _providers = providers;
        _logger = logger;
        _development = environment?.IsDevelopment() == true;
    }

    public string CreatePreviewLink(string key, string variation, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lifetime, MaxLifetime);

        // The time-limited protector checks expiry against the system clock, so the expiry comes from that clock too.
        return "?" + Marker + Protect(key, variation, DateTimeOffset.UtcNow + lifetime);
    }

    /// <summary>Signs a preview valid until <paramref name="expiration"/> (tests mint expired ones with a past one).</summary>
    internal string Protect(string key, string variation, DateTimeOffset expiration)
    {
        ExperienceKey.Validate(key);
        if (!IsVariation(variation))
        {
            throw new ArgumentException($"variation must be 1 to {MaxVariationLength} printable characters.", nameof(variation));
        }

        return Base64Url.EncodeToString(_protector.Protect(Encoding.UTF8.GetBytes(key + "\n" + variation), expiration));
    }

    /// <summary>
    /// The previews the request asks for, by experience key, or null for an ordinary request. The query string is
    /// searched as text first, so an ordinary request pays no parsing.
    /// </summary>
    public Dictionary<string, string>? Read(HttpContext context)
    {
        if (context.Request.QueryString.Value?.Contains(Marker, StringComparison.Ordinal) != true)
        {
            return null;
        }

        Dictionary<string, string>? previews = null;
        foreach (var value in context.Request.Query[Parameter])
        {
            if (Parse(value) is { } preview)
            {
                (previews ??= new(StringComparer.Ordinal))[preview.Key] = preview.Variation;
            }
        }

        return previews;
    }

    /// <summary>The experience variation <paramref name="variation"/> of <paramref name="key"/> shows, when its provider can preview.</summary>
    public Experience? Find(string key, string variation)
    {
        var provider = _providers.Main.Provider;
        foreach (var (keys, routed) in _providers.Routed)
        {
            if (keys.Contains(key))
            {
                provider = routed.Provider;
                break;
            }
        }

        if (provider is not IExperiencePreviewProvider previews)
        {
            Log.PreviewNotSupported(_logger, key, provider.Name);
            return null;
        }

        var experience = previews.Preview(key, variation);
        if (experience is null)
        {
            Log.PreviewVariationUnknown(_logger, key, provider.Name);
        }

        return experience;
    }

    private (string Key, string Variation)? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxValueLength)
        {
            return Ignored("empty or too long");
        }

        var separator = value.LastIndexOf(':');
        if (separator >= 0)
        {
            return _development
                ? Checked(value[..separator], value[(separator + 1)..])
                : Ignored("an unsigned preview works in Development only");
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(_protector.Unprotect(Base64Url.DecodeFromChars(value), out _));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return Ignored("not a valid signed preview (forged, expired or from other keys)");
        }

        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? Ignored("not a preview") : Checked(text[..newline], text[(newline + 1)..]);
    }

    private (string Key, string Variation)? Checked(string key, string variation) =>
        ExperienceKey.IsValid(key) && IsVariation(variation) ? (key, variation) : Ignored("not a key and a variation");

    private (string Key, string Variation)? Ignored(string reason)
    {
        Log.PreviewIgnored(_logger, reason);
        return null;
    }

    private static bool IsVariation(string? variation) =>
        variation is { Length: > 0 and <= MaxVariationLength } && !variation.Any(char.IsControl);
}
