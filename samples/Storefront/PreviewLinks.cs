using ServerSidePersonalization.AspNetCore.Previews;

namespace Storefront;

/// <summary>
/// Hands QA a signed preview link for a variation. A real site mints these behind its staff sign-in; the sample maps
/// this only in Development.
/// </summary>
internal static class PreviewLinks
{
    /// <summary>Redirects to the home page as <paramref name="variation"/> of <paramref name="key"/> shows it, for one hour.</summary>
    public static IResult Redirect(string key, string variation, IExperiencePreviews previews)
    {
        try
        {
            return Results.Redirect("/" + previews.CreatePreviewLink(key, variation, TimeSpan.FromHours(1)));
        }
        catch (ArgumentException)
        {
            return Results.BadRequest();
        }
    }
}
