using System.Buffers;
using System.Globalization;
using System.Text;

namespace ServerSidePersonalization.AspNetCore.Clicks;

/// <summary>
/// Decides where the click endpoint may redirect: a local path, or an http(s) URL on a host the site allows. Anything a
/// browser, proxy or later decoder could read as another origin or a script is refused, in every encoding.
/// </summary>
internal static class ClickTarget
{
    /// <summary>The longest target accepted, in characters.</summary>
    public const int MaxLength = 2048;

    // Enough for any link a person made; a target still changing after this many decodings is an attack.
    private const int MaxDecodeRounds = 4;

    private const string PlaceholderOrigin = "http://click.invalid";

    private static readonly string[] ScriptSchemes = ["javascript:", "vbscript:", "data:"];

    /// <summary>
    /// True for a local path (<c>/x</c>, not <c>//x</c> or <c>/\x</c>) or an absolute http/https URL without user
    /// info whose host is in <paramref name="allowedHosts"/> (exact, case-insensitive; <c>*.example.com</c> for its
    /// subdomains). The text must be printable ASCII of at most <see cref="MaxLength"/> characters, and every form
    /// obtained by percent-decoding it (up to four rounds) must be safe too.
    /// </summary>
    public static bool IsAllowed(string? target, IEnumerable<string> allowedHosts)
    {
        ArgumentNullException.ThrowIfNull(allowedHosts);
        if (string.IsNullOrEmpty(target) || target.Length > MaxLength)
        {
            return false;
        }

        // Printable ASCII only: browsers drop tabs and newlines anywhere (so "/\t/x" is "//x"), and a Location header
        // cannot carry anything else. Backslashes are read as slashes by browsers.
        if (target.AsSpan().ContainsAnyExceptInRange('!', '~') || target.Contains('\\', StringComparison.Ordinal))
        {
            return false;
        }

        var shapeAllowed = target[0] == '/'
            ? target.Length == 1 || target[1] != '/'
            : IsAllowedAbsolute(target, allowedHosts);
        return shapeAllowed && DecodedFormsAreSafe(target);
    }

    /// <summary>
    /// The target a link's <paramref name="href"/> leads to from the page at <paramref name="currentPath"/> (the
    /// request's escaped path base and path): relative references resolved to a local path, spaces and non-ASCII
    /// percent-encoded as a browser would. Null for a same-page anchor (a redirect would reload the page instead of
    /// scrolling) or text that cannot be a URL. The result still has to pass <see cref="IsAllowed"/>.
    /// </summary>
    public static string? Resolve(string? href, string currentPath)
    {
        // Browsers strip leading and trailing ASCII whitespace from an href.
        href = href?.Trim(' ', '\t', '\n', '\r', '\f');
        if (string.IsNullOrEmpty(href) || href[0] == '#' || href.Length > MaxLength)
        {
            return null;
        }

        if (href[0] is '/' or '\\' || HasScheme(href))
        {
            return Escape(href);
        }

        var page = new Uri(PlaceholderOrigin + (currentPath.StartsWith('/') ? currentPath : "/" + currentPath));
        if (Escape(href) is not { } escaped || !Uri.TryCreate(page, escaped, out var resolved)
            || !string.Equals(resolved.GetLeftPart(UriPartial.Authority), PlaceholderOrigin, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return resolved.PathAndQuery + resolved.Fragment;
    }

    private static bool HasScheme(string href)
    {
        var colon = href.IndexOf(':', StringComparison.Ordinal);
        var delimiter = href.AsSpan().IndexOfAny('/', '?', '#');
        return colon >= 0 && (delimiter < 0 || colon < delimiter);
    }

    /// <summary>Percent-encodes spaces and non-ASCII as UTF-8, as a browser does before requesting; null for broken UTF-16.</summary>
    private static string? Escape(string href)
    {
        if (!href.AsSpan().ContainsAnyInRange('\u0080', '\uffff') && !href.Contains(' ', StringComparison.Ordinal))
        {
            return href;
        }

        var escaped = new StringBuilder(href.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        var rest = href.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done)
            {
                return null;
            }

            rest = rest[consumed..];
            if (rune.IsAscii && rune.Value != ' ')
            {
                // Control characters stay as they are, for IsAllowed to refuse.
                escaped.Append((char)rune.Value);
                continue;
            }

            foreach (var b in utf8[..rune.EncodeToUtf8(utf8)])
            {
                escaped.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }

    private static bool IsAllowedAbsolute(string target, IEnumerable<string> allowedHosts)
    {
        int authorityStart;
        if (target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            authorityStart = "https://".Length;
        }
        else if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            authorityStart = "http://".Length;
        }
        else
        {
            return false;
        }

        var rest = target.AsSpan(authorityStart);
        var end = rest.IndexOfAny('/', '?', '#');
        var authority = end < 0 ? rest : rest[..end];

        // No user info ("https://allowed.example@evil.example") and no escapes in the authority, which parsers decode
        // differently.
        if (authority.IsEmpty || authority.ContainsAny('@', '%'))
        {
            return false;
        }

        var host = authority;
        var colon = authority.LastIndexOf(':');
        if (colon >= 0 && authority[^1] != ']')
        {
            var port = authority[(colon + 1)..];
            if (port.IsEmpty || port.ContainsAnyExceptInRange('0', '9'))
            {
                return false;
            }

            host = authority[..colon];
        }

        // The framework's parser (and so the redirect) must see the very host that was checked.
        return !host.IsEmpty
            && Uri.TryCreate(target, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && uri.UserInfo.Length == 0
            && host.Equals(uri.Host, StringComparison.OrdinalIgnoreCase)
            && IsAllowedHost(host, allowedHosts);
    }

    private static bool IsAllowedHost(ReadOnlySpan<char> host, IEnumerable<string> allowedHosts)
    {
        foreach (var allowed in allowedHosts)
        {
            if (string.IsNullOrEmpty(allowed))
            {
                continue;
            }

            if (allowed.StartsWith("*.", StringComparison.Ordinal))
            {
                // "*.example.com" is any subdomain, never example.com itself.
                var suffix = allowed.AsSpan(1);
                if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
            else if (host.Equals(allowed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Decodes the target repeatedly; refuses it when a decoded form is unsafe (a later decoder, proxy or application
    /// could act on that form) or when it is still encoded after <see cref="MaxDecodeRounds"/> rounds.
    /// </summary>
    private static bool DecodedFormsAreSafe(string target)
    {
        var form = target;
        for (var round = 0; ; round++)
        {
            var decoded = Uri.UnescapeDataString(form);
            if (string.Equals(decoded, form, StringComparison.Ordinal))
            {
                return true;
            }

            if (round == MaxDecodeRounds || !IsSafeDecodedForm(decoded))
            {
                return false;
            }

            form = decoded;
        }
    }

    private static bool IsSafeDecodedForm(string form)
    {
        foreach (var c in form)
        {
            if (char.IsControl(c) || c == '\\')
            {
                return false;
            }
        }

        if (form.StartsWith("//", StringComparison.Ordinal))
        {
            return false;
        }

        var start = form.AsSpan().TrimStart();
        foreach (var scheme in ScriptSchemes)
        {
            if (start.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
