using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using ServerSidePersonalization.AspNetCore;

namespace ServerSidePersonalization.FeatureManagement;

/// <summary>
/// Runs after Feature Management's <c>&lt;feature&gt;</c> tag helper: when the block renders, each named feature that
/// is the visitor's experience is recorded as shown, exactly as <c>&lt;experience&gt;</c> records it; a block left out
/// records nothing.
/// </summary>
[HtmlTargetElement("feature", Attributes = "name")]
public sealed class FeatureImpressionTagHelper : TagHelper
{
    /// <summary>After every other tag helper on the element, so Feature Management has decided whether it renders.</summary>
    public override int Order => int.MaxValue;

    /// <summary>The feature names, comma-separated, as Feature Management reads them.</summary>
    [HtmlAttributeName("name")]
    public string Name { get; set; } = string.Empty;

    /// <summary>The view being rendered; set by Razor.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    /// <inheritdoc />
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);

        // Feature Management leaves the content alone when the block renders and suppresses it (which counts as
        // modified) when it does not.
        var httpContext = ViewContext.HttpContext;
        if (output.IsContentModified || httpContext.Features.Get<IPersonalizationFeature>() is not { } personalization)
        {
            return;
        }

        foreach (var name in Name.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (ExperienceFeatures.Find(httpContext, name) is { } experience)
            {
                personalization.TrackImpression(experience);
            }
        }
    }
}
