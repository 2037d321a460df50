using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace ServerSidePersonalization.AspNetCore.TagHelpers;

/// <summary>
/// <c>&lt;experience-fallback&gt;</c>: content shown when the visitor does not have the experience (none decided, the
/// vendor failed or was too slow). Place it inside <c>&lt;experience&gt;</c>, or anywhere with its own <c>key</c>.
/// </summary>
[HtmlTargetElement("experience-fallback")]
public sealed class ExperienceFallbackTagHelper : TagHelper
{
    /// <summary>The experience key, when not inside an <c>&lt;experience&gt;</c> element.</summary>
    [HtmlAttributeName("key")]
    public string? Key { get; set; }

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
        var (nested, experience) = await ExperienceScope.ResolveAsync(context, Key, ViewContext, markRendered: false, "experience-fallback")
            .ConfigureAwait(false);

        if (experience is not null)
        {
            output.SuppressOutput();
            return;
        }

        var content = await output.GetChildContentAsync().ConfigureAwait(false);
        if (nested)
        {
            // The enclosing <experience> decides what is emitted; hand it the fallback.
            ExperienceScope.Current(context)!.AddFallback(content);
            output.SuppressOutput();
        }
        else
        {
            output.Content.SetHtmlContent(content);
        }
    }
}
