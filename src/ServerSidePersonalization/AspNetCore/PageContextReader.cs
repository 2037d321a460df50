using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Routing;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// Reads the <see cref="PageContext"/> of a request: the URL, a valid referrer and locale, and the type and data its
/// endpoint declares through <see cref="IPageMetadata"/>. Anything malformed or oversized is left out, never passed on.
/// </summary>
internal static partial class PageContextReader
{
    private const int MaxUrlLength = 2048;
    private const int MaxDataLength = 256;

    public static PageContext Read(HttpContext context)
    {
        var request = context.Request;
        var location = request.Host.HasValue ? request.GetEncodedUrl() : null;
        var referrer = request.Headers.Referer.Count == 1
            && request.Headers.Referer[0] is { Length: <= MaxUrlLength } text
            && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                ? uri.AbsoluteUri
                : null;
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<IPageMetadata>();
        return new PageContext(
            location is { Length: <= MaxUrlLength } ? location : null,
            referrer,
            Locale(request.Headers.AcceptLanguage.ToString()),
            metadata?.PageType,
            metadata is null ? null : Data(context, metadata));
    }

    /// <summary>The first language of the header when it is a plain tag; a string only for one that is.</summary>
    private static string? Locale(string acceptLanguage)
    {
        var first = acceptLanguage.AsSpan();
        if (first.IndexOf(',') is var comma and >= 0)
        {
            first = first[..comma];
        }

        if (first.IndexOf(';') is var semicolon and >= 0)
        {
            first = first[..semicolon];
        }

        first = first.Trim();
        return LocaleTag().IsMatch(first) ? first.ToString() : null;
    }

    private static List<string> Data(HttpContext context, IPageMetadata metadata)
    {
        var data = new List<string>(metadata.DataRouteValues.Count);
        foreach (var name in metadata.DataRouteValues)
        {
            var value = context.GetRouteValue(name)?.ToString() ?? (context.Request.Query[name] is { Count: 1 } query ? query[0] : null);
            if (value is { Length: > 0 and <= MaxDataLength } && !value.AsSpan().ContainsAnyInRange('\u0000', '\u001f'))
            {
                data.Add(value);
            }
        }

        return data;
    }

    [GeneratedRegex("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}$")]
    private static partial Regex LocaleTag();
}
