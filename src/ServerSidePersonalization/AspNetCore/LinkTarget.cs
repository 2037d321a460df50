namespace ServerSidePersonalization.AspNetCore;

/// <summary>Decides whether a URL from a vendor payload may become a link's <c>href</c>.</summary>
internal static class LinkTarget
{
    /// <summary>
    /// True for a local path (<c>/x</c> but not <c>//x</c> or <c>/\x</c>), a relative reference without a scheme, or
    /// an absolute http(s) URL; false for <c>javascript:</c>, <c>data:</c> and anything with control characters.
    /// </summary>
    public static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.AsSpan().ContainsAnyInRange('\0', ' ') || url.Contains('\u007f', StringComparison.Ordinal))
        {
            return false;
        }

        if (url[0] == '/')
        {
            return url.Length == 1 || (url[1] != '/' && url[1] != '\\');
        }

        if (url[0] == '\\')
        {
            return false;
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var firstDelimiter = url.IndexOfAny(['/', '?', '#']);
        var hasScheme = colon >= 0 && (firstDelimiter < 0 || colon < firstDelimiter);
        if (!hasScheme)
        {
            return true;
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && !string.IsNullOrEmpty(uri.Host);
    }
}
