using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// Keeps a response that read experiences out of shared caches: it is one visitor's page, so a CDN, a proxy or ASP.NET's
/// output cache serving it to the next visitor would show them someone else's variation (and report it for nobody).
/// </summary>
internal static class PersonalizedResponse
{
    private const string Cookie = "Cookie";

    /// <summary>
    /// Marks the response of <paramref name="context"/> as personalized for <paramref name="identity"/>; called once,
    /// when its first experience fetch starts. The output cache is told at once (it decides whether to store as the body
    /// is written, before the response's starting callbacks run); the headers are merged as the response starts, over
    /// whatever the app has set by then.
    /// </summary>
    public static void Mark(HttpContext context, VisitorIdentity identity)
    {
        if (context.Features.Get<IOutputCacheFeature>() is { } outputCache)
        {
            outputCache.Context.AllowCacheStorage = false;
        }

        if (context.Response.HasStarted)
        {
            return;
        }

        // The visitor id only ever comes from a cookie (read, or issued on this response): the page depends on it.
        var variesByCookie = identity.VisitorId is not null || identity.SessionId is not null;
        context.Response.OnStarting(static state =>
        {
            var (response, variesByCookie) = ((HttpResponse, bool))state;
            Apply(response.Headers, variesByCookie);
            return Task.CompletedTask;
        }, (context.Response, variesByCookie));
    }

    /// <summary>
    /// <c>private</c> merged into the app's <c>Cache-Control</c>: <c>public</c> and <c>s-maxage</c> (shared caches only)
    /// go, <c>no-store</c>, <c>max-age</c> and the rest stay; and <c>Cookie</c> added once to <c>Vary</c>.
    /// </summary>
    internal static void Apply(IHeaderDictionary headers, bool variesByCookie)
    {
        headers.CacheControl = MergeCacheControl(headers.CacheControl);
        if (variesByCookie && !VariesBy(headers.Vary, Cookie))
        {
            headers.Vary = StringValues.Concat(headers.Vary, Cookie);
        }
    }

    private static string MergeCacheControl(StringValues current)
    {
        if (StringValues.IsNullOrEmpty(current))
        {
            return "private";
        }

        if (!CacheControlHeaderValue.TryParse(string.Join(", ", current.ToArray()), out var value) || value is null)
        {
            // Unreadable: keep the strongest directive it may hold rather than guess at the rest.
            return current.ToString().Contains("no-store", StringComparison.OrdinalIgnoreCase) ? "no-store, private" : "private";
        }

        value.Public = false;
        value.Private = true;
        value.PrivateHeaders.Clear();
        value.SharedMaxAge = null;
        return value.ToString();
    }

    private static bool VariesBy(StringValues vary, string header)
    {
        foreach (var value in vary)
        {
            foreach (var name in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (name == "*" || string.Equals(name, header, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
