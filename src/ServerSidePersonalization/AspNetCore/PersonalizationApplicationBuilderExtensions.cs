using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the personalization middleware to the pipeline.</summary>
public static class PersonalizationApplicationBuilderExtensions
{
    /// <summary>
    /// Resolves the visitor and starts fetching declared experiences on every request that reaches it. Place it after
    /// static files, authentication and cookie policy, and before the endpoints that render experiences.
    /// </summary>
    public static IApplicationBuilder UseServerSidePersonalization(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Ask whether it is registered without building it: building would validate the options here, before the
        // host's own start-up validation reports them.
        if (app.ApplicationServices.GetService<IServiceProviderIsService>()?.IsService(typeof(PersonalizationServices)) != true)
        {
            throw new InvalidOperationException(
                "Call builder.Services.AddServerSidePersonalization() before app.UseServerSidePersonalization().");
        }

        return app.UseMiddleware<PersonalizationMiddleware>();
    }
}
