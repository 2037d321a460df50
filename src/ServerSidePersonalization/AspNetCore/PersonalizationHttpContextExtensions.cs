using ServerSidePersonalization.AspNetCore;

namespace Microsoft.AspNetCore.Http;

/// <summary>Access to the request's personalization.</summary>
public static class PersonalizationHttpContextExtensions
{
    /// <summary>
    /// The request's <see cref="IPersonalizationFeature"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">When <c>app.UseServerSidePersonalization()</c> did not run for this request.</exception>
    public static IPersonalizationFeature GetPersonalization(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<IPersonalizationFeature>()
            ?? throw new InvalidOperationException(
                "No personalization on this request: call app.UseServerSidePersonalization() before the endpoints that use it.");
    }
}
