using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerSidePersonalization.AspNetCore.Clicks;

namespace ServerSidePersonalization.AspNetCore.TagHelpers;

/// <summary>
/// <c>&lt;a experience-click="home-hero" experience-element="cta" href="/sale"&gt;</c>: when the visitor has the
/// experience, points the link at the click endpoint (<c>app.MapPersonalizationClicks()</c>) with a signed token that
/// records the click and redirects to the link's <c>href</c>. A link without the experience, or whose <c>href</c> is not
/// a local path or an allowed host, is left as it is.
/// </summary>
[HtmlTargetElement("a", Attributes = "experience-click")]
public sealed class ExperienceClickTagHelper : TagHelper
{
    /// <summary>Runs after <see cref="ExperienceLinkTagHelper"/>, which may have set the <c>href</c> from the payload.</summary>
    public override int Order => 0;

    /// <summary>The experience key; empty for the enclosing <c>&lt;experience&gt;</c>'s.</summary>
    [HtmlAttributeName("experience-click")]
    public string? Key { get; set; }

    /// <summary>The element clicked, reported with the click (MoEngage's <c>b_id</c>).</summary>
    [HtmlAttributeName("experience-element")]
    public string? ElementId { get; set; }

    /// <summary>The recommendation slot clicked, reported with the click (Dynamic Yield's <c>slotId</c>).</summary>
    [HtmlAttributeName("experience-slot")]
    public string? SlotId { get; set; }

    /// <summary>
    /// What the link does, reported with the click to destinations that know the name (Cardlytics' <c>ActivateOffer</c>,
    /// <c>ParkOffer</c>, <c>UnParkOffer</c>); letters, digits, <c>_</c>, <c>-</c> and <c>.</c>, at most 64. A link with
    /// any other value is left untracked.
    /// </summary>
    [HtmlAttributeName("experience-action")]
    public string? Action { get; set; }

    /// <summary>The view being rendered; set by Razor.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    /// <inheritdoc />
    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        output.Attributes.RemoveAll("experience-click");
        output.Attributes.RemoveAll("experience-element");
        output.Attributes.RemoveAll("experience-slot");
        output.Attributes.RemoveAll("experience-action");

        var (_, experience) = await ExperienceScope.ResolveAsync(
            context, string.IsNullOrEmpty(Key) ? null : Key, ViewContext, markRendered: true, "a experience-click").ConfigureAwait(false);
        var http = ViewContext.HttpContext;
        if (experience is null || http.Features.Get<IPersonalizationFeature>() is PersonalizationFeature { Previews: not null })
        {
            // A QA preview's links go straight to their target: no click is reported for a preview.
            return;
        }

        var action = string.IsNullOrEmpty(Action) ? null : Action;
        if (action is not null && !ClickAction.IsValid(action))
        {
            Untracked(http, experience.Key, "its experience-action is not a short name (letters, digits, '_', '-', '.')");
            return;
        }

        var tokens = http.RequestServices.GetRequiredService<ClickTokens>();
        var request = http.Request;
        var target = ClickTarget.Resolve(ReadHref(output), request.PathBase.Add(request.Path).ToUriComponent());
        if (target is null || !ClickTarget.IsAllowed(target, tokens.Options.AllowedHosts))
        {
            Untracked(http, experience.Key, "its href is not a local path or a host in Personalization:Clicks:AllowedHosts");
            return;
        }

        // Signed with the user it is rendered for, so a click by anyone else is not reported as theirs.
        var token = tokens.ForLink(experience, ElementId, SlotId, target, http.GetPersonalization().Identity, action);
        if (token is null)
        {
            Untracked(http, experience.Key, "the Data Protection key ring has no key whose secret can sign it");
            return;
        }

        if (token.Length > ClickTokens.MaxLength)
        {
            Untracked(http, experience.Key, "the tracked link would be too long");
            return;
        }

        var endpoint = request.PathBase.Add(tokens.Options.Path).ToUriComponent();
        output.Attributes.SetAttribute("href", $"{endpoint}?{ClickEndpoint.TokenField}={token}");
    }

    private static void Untracked(HttpContext http, string experienceKey, string reason) =>
        Clicks.Log.UntrackableLink(http.RequestServices.GetRequiredService<ILogger<ExperienceClickTagHelper>>(), experienceKey, reason);

    /// <summary>The link's href as the browser would read it: literal markup is HTML-decoded, written values are not encoded.</summary>
    private static string? ReadHref(TagHelperOutput output)
    {
        if (!output.Attributes.TryGetAttribute("href", out var attribute))
        {
            return null;
        }

        switch (attribute.Value)
        {
            case null:
                return null;
            case string text:
                return text;
            case HtmlString markup:
                return WebUtility.HtmlDecode(markup.Value);
            case IHtmlContent content:
                using (var writer = new StringWriter(CultureInfo.InvariantCulture))
                {
                    content.WriteTo(writer, HtmlEncoder.Default);
                    return WebUtility.HtmlDecode(writer.ToString());
                }

            default:
                return Convert.ToString(attribute.Value, CultureInfo.InvariantCulture);
        }
    }
}
