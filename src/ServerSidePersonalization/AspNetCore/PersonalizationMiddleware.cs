using Microsoft.AspNetCore.Http;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// Resolves identity and in-session attributes once per request, exposes them as <see cref="IPersonalizationFeature"/>
/// and starts fetching the experiences the endpoint declares.
/// </summary>
internal sealed class PersonalizationMiddleware(RequestDelegate next, PersonalizationServices services)
{
    public Task InvokeAsync(HttpContext context)
    {
        var feature = new PersonalizationFeature(
            context,
            services.Identity.Resolve(context),
            services.Attributes.Resolve(context),
            services);
        context.Features.Set<IPersonalizationFeature>(feature);
        feature.StartDeclared();
        return next(context);
    }
}
