using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace ServerSidePersonalization.AspNetCore.TagHelpers;

/// <summary>
/// <c>&lt;experience key="home-hero"&gt;</c>: renders its content only when the visitor has the experience (and marks
/// it rendered); otherwise renders the content of its <c>&lt;experience-fallback&gt;</c> children. The wrapper tag
/// itself is never emitted.
/// </summary>
[HtmlTargetElement("experience", Attributes = "key")]
public sealed class ExperienceTagHelper : TagHelper
{
    /// <summary>The experience key.</summary>
    [HtmlAttributeName("key")]
    public string Key { get; set; } = string.Empty;

    /// <summary>The view being rendered; set by Razor.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    /// <inheritdoc />
    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        output.TagName = null;

        var feature = ViewContext.HttpContext.GetPersonalization();
        var experience = await feature.GetExperienceAsync(Key, ViewContext.HttpContext.RequestAborted).ConfigureAwait(false);
        var scope = new ExperienceScope(experience);
        context.Items[typeof(ExperienceScope)] = scope;
        var content = await output.GetChildContentAsync().ConfigureAwait(false);

        if (experience is not null)
        {
            feature.TrackImpression(experience);
            output.Content.SetHtmlContent(content);
        }
        else if (scope.Fallback is { } fallback)
        {
            output.Content.SetHtmlContent(fallback);
        }
        else
        {
            output.SuppressOutput();
        }
    }
}
