using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace ServerSidePersonalization.AspNetCore.TagHelpers;

/// <summary>
/// <c>&lt;experience-value field="Title" /&gt;</c>: writes a payload field, HTML-encoded, from the enclosing
/// <c>&lt;experience&gt;</c> or from the experience named by <c>key</c>. Writes nothing when the field is absent.
/// </summary>
[HtmlTargetElement("experience-value", Attributes = "field")]
public sealed class ExperienceValueTagHelper : TagHelper
{
    /// <summary>The payload field to write.</summary>
    [HtmlAttributeName("field")]
    public string Field { get; set; } = string.Empty;

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
        var (_, experience) = await ExperienceScope.ResolveAsync(context, Key, ViewContext, markRendered: true, "experience-value")
            .ConfigureAwait(false);

        if (experience?.GetString(Field) is { } value)
        {
            output.Content.SetContent(value);
        }
        else
        {
            output.SuppressOutput();
        }
    }
}
