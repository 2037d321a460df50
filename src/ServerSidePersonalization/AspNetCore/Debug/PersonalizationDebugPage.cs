using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.AspNetCore.Debug;

/// <summary>
/// The Development-only page that shows what the library made of this request: the visitor's ids (masked) and where
/// they came from, the in-session attributes, the site-wide and declared experiences (and <c>?keys=a,b</c>) with their
/// origin and attribution, and this visitor's last tracking events with their delivery status. It reports nothing and
/// no cache keeps it. Every value is HTML-encoded.
/// </summary>
internal sealed class PersonalizationDebugPage(PersonalizationServices services, TrackingJournal journal)
{
    /// <summary>The most keys <c>?keys=</c> may ask for.</summary>
    public const int MaxKeys = 20;

    // Markup characters are encoded; other text (the mask's ellipsis, accented names) stays readable.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public async Task RenderAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        var feature = (PersonalizationFeature)context.GetPersonalization();
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Personalization debug</title>")
            // No icon to fetch: a site without /favicon.ico would otherwise log a 404 in the browser's console.
            .Append("<link rel=\"icon\" href=\"data:,\">")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;margin-bottom:1.5rem}")
            .Append("td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}code{font-size:.85em}</style>")
            .Append("</head><body><h1>Personalization debug</h1>");
        WriteIdentity(html, feature.Identity);
        WriteTracking(html, feature);
        WriteAttributes(html, feature);
        await WriteExperiencesAsync(html, context, feature).ConfigureAwait(false);
        WriteEvents(html, journal.For(feature.Identity.UserId));
        html.Append("</body></html>");

        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html.ToString(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The first four characters of an id and an ellipsis; nothing of an id of eight characters or fewer.</summary>
    internal static string Mask(string? id) => id switch
    {
        null => "(none)",
        { Length: > 8 } => id[..4] + "…",
        _ => "…",
    };

    private static void WriteIdentity(StringBuilder html, VisitorIdentity identity)
    {
        html.Append("<h2>Visitor</h2><table id=\"identity\">");
        Row(html, "customer id", Mask(identity.CustomerId));
        Row(html, "visitor id", Mask(identity.VisitorId) + (identity.IsNewVisitor ? " (issued on this request)" : string.Empty));
        Row(html, "session id", Mask(identity.SessionId));
        html.Append("</table><h3>Ids found, by source</h3><table id=\"sources\"><tr><th>source</th><th>id</th></tr>");
        foreach (var (source, id) in identity.Identifiers.OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            Row(html, SourceName(source), Mask(id));
        }

        html.Append("</table>");
    }

    private static string SourceName(string source) => source switch
    {
        ClaimsIdentitySource.Origin => "claim",
        HeaderIdentitySource.Origin => "header",
        _ => "cookie " + source,
    };

    private static void WriteTracking(StringBuilder html, PersonalizationFeature feature)
    {
        html.Append("<h2>Tracking</h2><table id=\"tracking\">");
        Row(html, "can track", feature.CanTrack ? "yes" : "no (" + feature.ExcludedReason + ")");
        html.Append("</table>");
    }

    private static void WriteAttributes(StringBuilder html, PersonalizationFeature feature)
    {
        var attributes = feature.Attributes;
        html.Append("<h2>In-session attributes</h2><table id=\"attributes\">");
        Row(html, "timestamp", attributes.Timestamp.ToString("O", CultureInfo.InvariantCulture));
        Row(html, "day of week", attributes.DayOfWeek?.ToString() ?? "(not sent)");
        Row(html, "hour of day", attributes.HourOfDay?.ToString(CultureInfo.InvariantCulture) ?? "(not sent)");
        Row(html, "ip address", attributes.IpAddress ?? "(not sent)");
        Row(html, "user agent", attributes.UserAgent ?? "(not sent)");
        foreach (var (name, value) in attributes.Custom.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Row(html, name, value);
        }

        html.Append("</table>");
    }

    private async Task WriteExperiencesAsync(StringBuilder html, HttpContext context, PersonalizationFeature feature)
    {
        html.Append("<h2>Experiences of this request</h2><table id=\"experiences\"><tr><th>key</th><th>origin</th>")
            .Append("<th>vendor</th><th>variation</th><th>decision</th><th>context</th></tr>");
        foreach (var key in Keys(context))
        {
            var experience = await feature.GetExperienceAsync(key, context.RequestAborted).ConfigureAwait(false);
            var origin = feature.Origins?.Find(key) is { } found ? OriginName(found) : "(not fetched)";
            var attribution = experience?.Attribution;
            html.Append("<tr data-key=\"").Append(Encoder.Encode(key)).Append("\">");
            Cell(html, key);
            Cell(html, experience is null && origin != "none" ? origin + " (no experience)" : origin);
            Cell(html, attribution?.Vendor ?? string.Empty);
            Cell(html, attribution?.VariationId ?? string.Empty);
            Cell(html, attribution?.DecisionId ?? string.Empty);
            html.Append("<td><code>").Append(Encoder.Encode(attribution is null ? string.Empty : attribution.Context.GetRawText())).Append("</code></td></tr>");
        }

        html.Append("</table>");
    }

    /// <summary>The site-wide and declared keys, then those of <c>?keys=a,b</c> that are valid keys, at most <see cref="MaxKeys"/>.</summary>
    private List<string> Keys(HttpContext context)
    {
        var keys = new List<string>();
        var asked = context.Request.Query["keys"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        foreach (var key in services.Declared.SiteWide.Concat(services.Declared.For(context.GetEndpoint())).Concat(asked))
        {
            if (keys.Count < MaxKeys && ExperienceKey.IsValid(key) && !keys.Contains(key, StringComparer.Ordinal))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    private static string OriginName(ExperienceOrigin origin) => origin switch
    {
        ExperienceOrigin.L1 => "L1",
        ExperienceOrigin.L2 => "L2",
        ExperienceOrigin.Provider => "provider",
        ExperienceOrigin.Stale => "stale",
        ExperienceOrigin.Preview => "preview",
        _ => "none",
    };

    private static void WriteEvents(StringBuilder html, IReadOnlyList<TrackingJournalEntry> events)
    {
        html.Append("<h2>This visitor's last tracking events</h2><table id=\"events\"><tr><th>event</th><th>kind</th>")
            .Append("<th>experience or conversion</th><th>destination</th><th>occurred</th><th>status</th><th>reason</th></tr>");
        for (var i = events.Count - 1; i >= 0; i--)
        {
            var entry = events[i];
            html.Append("<tr data-event=\"").Append(entry.EventId.ToString("D")).Append("\">");
            Cell(html, entry.EventId.ToString("D")[..8]);
            Cell(html, entry.Kind.ToString());
            Cell(html, entry.Subject);
            Cell(html, entry.Destination);
            Cell(html, entry.OccurredAt.ToString("O", CultureInfo.InvariantCulture));
            html.Append("<td class=\"status\">").Append(entry.Status.ToString().ToLowerInvariant()).Append("</td>");
            Cell(html, entry.Reason ?? string.Empty);
            html.Append("</tr>");
        }

        html.Append("</table>");
    }

    private static void Row(StringBuilder html, string name, string value)
    {
        html.Append("<tr><th>").Append(Encoder.Encode(name)).Append("</th><td>").Append(Encoder.Encode(value)).Append("</td></tr>");
    }

    private static void Cell(StringBuilder html, string value) => html.Append("<td>").Append(Encoder.Encode(value)).Append("</td>");
}
