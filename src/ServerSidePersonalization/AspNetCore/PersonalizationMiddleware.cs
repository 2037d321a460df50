using Microsoft.AspNetCore.Http;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// Resolves identity and in-session attributes once per request, exposes them as <see cref="IPersonalizationFeature"/>,
/// starts fetching the experiences the endpoint declares and, after the endpoint, reports one impression per experience
/// the page showed. One place covers MVC, Razor Pages, minimal APIs and anything else that renders.
/// </summary>
internal sealed class PersonalizationMiddleware(RequestDelegate next, PersonalizationServices services)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var feature = PersonalizationFeature.Create(context, services);
        context.Features.Set<IPersonalizationFeature>(feature);
        feature.StartDeclared();
        await next(context).ConfigureAwait(false);

        // The response is produced: what it showed is what gets reported. A page that failed (5xx, or threw past
        // this point) or whose client went away showed nothing worth counting.
        if (context.Response.StatusCode < 500 && !context.RequestAborted.IsCancellationRequested)
        {
            feature.ReportImpressions();
        }
    }
}
