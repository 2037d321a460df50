using System.Net;
using System.Text.RegularExpressions;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>Reads what a browser would from rendered HTML.</summary>
internal static partial class Html
{
    /// <summary>The decoded href of the element with <paramref name="id"/>, or null.</summary>
    public static string? Href(string html, string id)
    {
        var match = Regex.Match(html, $"id=\"{Regex.Escape(id)}\" href=\"([^\"]*)\"");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }
}
