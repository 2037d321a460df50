using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.AspNetCore.TagHelpers;

/// <summary>
/// <c>&lt;a experience-href="CtaUrl" href="/fallback"&gt;</c>: sets the link's <c>href</c> from a payload field when the
/// field holds a safe URL (a local path or http/https); otherwise the link keeps its own <c>href</c>.
/// </summary>
[HtmlTargetElement("a", Attributes = "experience-href")]
public sealed class ExperienceLinkTagHelper : TagHelper
{
    /// <summary>Runs before tag helpers that rewrite the link for click tracking.</summary>
    public override int Order => -100;

    /// <summary>The payload field that holds the URL.</summary>
    [HtmlAttributeName("experience-href")]
    public string Field { get; set; } = string.Empty;

    /// <summary>The experience key, when the link is not inside an <c>&lt;experience&gt;</c> element.</summary>
    [HtmlAttributeName("experience-key")]
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
        var (_, experience) = await ExperienceScope.ResolveAsync(context, Key, ViewContext, markRendered: true, "a experience-href")
            .ConfigureAwait(false);
        if (experience?.GetString(Field) is not { } url)
        {
            return;
        }

        if (LinkTarget.IsSafe(url))
        {
            output.Attributes.SetAttribute("href", url.Trim());
        }
        else
        {
            var logger = ViewContext.HttpContext.RequestServices.GetRequiredService<ILogger<ExperienceLinkTagHelper>>();
            Log.UnsafeExperienceUrl(logger, experience.Key, Field);
        }
    }
}
