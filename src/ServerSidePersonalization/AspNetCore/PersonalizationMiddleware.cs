using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// Resolves identity and in-session attributes once per request, exposes them as <see cref="IPersonalizationFeature"/>,
/// starts fetching the experiences the endpoint declares and, after the endpoint, reports one impression per experience
/// the page showed. One place covers MVC, Razor Pages, minimal APIs and anything else that renders.
/// </summary>
internal sealed class PersonalizationMiddleware(RequestDelegate next, PersonalizationServices services)
{
    // Headers by which browsers mark a request no person asked to see (yet): Sec-Purpose (prefetch, "prefetch;prerender"),
    // the older Purpose and X-Purpose (prefetch, Safari's "preview" thumbnails) and Firefox's X-Moz.
    private static readonly string[] SpeculativeHeaders = ["Sec-Purpose", "Purpose", "X-Purpose", "X-Moz"];
    private static readonly string[] SpeculativeValues = ["prefetch", "prerender", "preview"];

    public async Task InvokeAsync(HttpContext context)
    {
        var feature = PersonalizationFeature.Create(context, services);
        context.Features.Set<IPersonalizationFeature>(feature);
        feature.StartDeclared();
        await next(context).ConfigureAwait(false);

        // The response is produced: what it showed is what gets reported, when a person saw it. In durable mode the
        // request ends only once its events are in the outbox (bounded by the append timeout), so a crash from here on
        // loses none of them.
        if (WasShown(context))
        {
            feature.ReportImpressions();
        }

        await feature.TrackedAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// False for a response nobody saw: a page that failed (5xx, or threw past this point), a client that went away, a
    /// HEAD (no body), a prefetch or prerender (the browser may never show it), and a response that is not a page (204,
    /// 205, a redirect). A 304 is the page the browser already holds, shown again, so it counts.
    /// </summary>
    private static bool WasShown(HttpContext context)
    {
        var status = context.Response.StatusCode;
        return status < 500
            && status is not (StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent)
            && (status is < 300 or >= 400 || status == StatusCodes.Status304NotModified)
            && !context.RequestAborted.IsCancellationRequested
            && !HttpMethods.IsHead(context.Request.Method)
            && !IsSpeculative(context.Request.Headers);
    }

    private static bool IsSpeculative(IHeaderDictionary headers)
    {
        foreach (var name in SpeculativeHeaders)
        {
            if (headers.TryGetValue(name, out StringValues values) && ContainsAny(values))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsAny(StringValues values)
    {
        foreach (var value in values)
        {
            foreach (var speculative in SpeculativeValues)
            {
                if (value?.Contains(speculative, StringComparison.OrdinalIgnoreCase) == true)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
