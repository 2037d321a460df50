using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.AspNetCore.Http;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.AspNetCore.TagHelpers;

/// <summary>What an <c>&lt;experience&gt;</c> tag helper shares with the tag helpers inside it.</summary>
internal sealed class ExperienceScope(Experience? experience)
{
    private DefaultTagHelperContent? _fallback;

    public Experience? Experience => experience;

    public TagHelperContent? Fallback => _fallback;

    public static ExperienceScope? Current(TagHelperContext context) =>
        context.Items.TryGetValue(typeof(ExperienceScope), out var scope) ? (ExperienceScope)scope : null;

    public void AddFallback(TagHelperContent content) => (_fallback ??= new DefaultTagHelperContent()).AppendHtml(content);

    /// <summary>
    /// The experience a nested tag helper works with: the enclosing <c>&lt;experience&gt;</c>'s, or, when the tag helper
    /// names its own key, that one fetched (and tracked as shown when <paramref name="markRendered"/>).
    /// </summary>
    public static async Task<(bool Found, Experience? Experience)> ResolveAsync(
        TagHelperContext context, string? key, ViewContext viewContext, bool markRendered, string tagName)
    {
        if (key is null)
        {
            return Current(context) is { } scope
                ? (true, scope.Experience)
                : throw new InvalidOperationException($"<{tagName}> needs a key attribute or an enclosing <experience key=\"...\">.");
        }

        var feature = viewContext.HttpContext.GetPersonalization();
        var experience = await feature.GetExperienceAsync(key, viewContext.HttpContext.RequestAborted).ConfigureAwait(false);
        if (experience is not null && markRendered)
        {
            feature.TrackImpression(experience);
        }

        return (false, experience);
    }
}
