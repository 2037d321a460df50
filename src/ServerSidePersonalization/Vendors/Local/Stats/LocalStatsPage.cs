using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace ServerSidePersonalization.Vendors.Local.Stats;

/// <summary>
/// Writes <see cref="LocalStatsReport"/> as one HTML page: a table and an inline SVG bar chart (one bar per variation,
/// its 95% interval as a whisker) per experience, and for two variations the difference and the verdict. No script
/// and nothing fetched from elsewhere; every name from the records is HTML-encoded.
/// </summary>
internal static class LocalStatsPage
{
    private const int LabelWidth = 160;
    private const int PlotWidth = 300;
    private const int RowHeight = 30;
    private const int BarHeight = 18;

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static string Render(LocalStatsReport report, int records, int capacity)
    {
        var html = new StringBuilder(4096);
        html.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Personalization stats</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
            table { border-collapse: collapse; margin: 0.5rem 0; }
            th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.8rem; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            .bar { fill: #4a7bd0; } .whisker { stroke: #222; stroke-width: 1.5; } svg text { font-size: 12px; }
            .verdict { font-weight: bold; }
            </style>
            </head>
            <body>
            <h1>Personalization stats</h1>

            """);
        html.Append(CultureInfo.InvariantCulture, $"""
            <p>Impressions and clicks the Local destination recorded in this process: the last {records} of at most
            {capacity} events (<code>Personalization:Tracking:Local:MaxEvents</code>). Intervals are 95% Wilson score
            intervals; the difference's is Newcombe's hybrid score interval. A verdict needs at least
            {ClickThroughStatistics.MinimumImpressions} impressions per variation.</p>

            """);
        if (report.Experiences.Count == 0)
        {
            html.Append("<p class=\"empty\">Nothing recorded yet: view a page that renders a Local experience.</p>\n");
        }

        foreach (var experience in report.Experiences)
        {
            AppendExperience(html, experience);
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendExperience(StringBuilder html, ExperienceStats experience)
    {
        html.Append(CultureInfo.InvariantCulture, $"<section class=\"experience\" data-experience=\"{Encode(experience.Key)}\">\n<h2>{Encode(experience.Key)}</h2>\n");
        html.Append("<table>\n<thead><tr><th>Variation</th><th>Impressions</th><th>Clicks</th><th>Click-through rate</th><th>95% interval</th></tr></thead>\n<tbody>\n");
        foreach (var variation in experience.Variations)
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr data-variation="{Encode(variation.Variation)}"><td>{Encode(variation.Variation)}</td><td class="impressions">{variation.Impressions}</td><td class="clicks">{variation.Clicks}</td><td class="rate">{Percent(variation.Rate)}</td><td class="interval">{Range(variation.Interval)}</td></tr>

                """);
        }

        html.Append("</tbody>\n</table>\n");
        AppendChart(html, experience);
        if (experience.Comparison is { } comparison)
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <p class="comparison">Difference {Encode(comparison.B.Variation)} minus {Encode(comparison.A.Variation)}: <span class="difference">{Points(comparison.Difference)}</span> (95% interval <span class="difference-interval">{PointsRange(comparison.Interval)}</span>): <span class="verdict">{Encode(comparison.Verdict)}</span>.</p>

                """);
        }

        html.Append("</section>\n");
    }

    /// <summary>Horizontal bars of the rates on a scale from 0 to the next 10% above the highest interval bound.</summary>
    private static void AppendChart(StringBuilder html, ExperienceStats experience)
    {
        var highest = experience.Variations.Max(v => v.Interval?.Upper ?? v.Rate ?? 0);
        var scale = Math.Clamp(Math.Ceiling(highest * 10) / 10, 0.1, 1);
        var height = (experience.Variations.Count * RowHeight) + 24;
        var width = LabelWidth + PlotWidth + 80;
        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Click-through rate of each variation of {Encode(experience.Key)} with its 95% interval\">\n");
        for (var i = 0; i < experience.Variations.Count; i++)
        {
            var variation = experience.Variations[i];
            var y = (i * RowHeight) + 4;
            var middle = y + (BarHeight / 2.0);
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{middle + 4}\" text-anchor=\"end\">{Encode(variation.Variation)}</text>\n");
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" data-variation=\"{Encode(variation.Variation)}\" x=\"{LabelWidth}\" y=\"{y}\" width=\"{Number(X(variation.Rate ?? 0, scale))}\" height=\"{BarHeight}\"><title>{Encode(variation.Variation)}: {Percent(variation.Rate)} ({Range(variation.Interval)})</title></rect>\n");
            if (variation.Interval is { } interval)
            {
                var lower = Number(LabelWidth + X(interval.Lower, scale));
                var upper = Number(LabelWidth + X(interval.Upper, scale));
                html.Append(CultureInfo.InvariantCulture, $"<path class=\"whisker\" d=\"M{lower} {y + 3}V{y + BarHeight - 3}M{lower} {middle}H{upper}M{upper} {y + 3}V{y + BarHeight - 3}\"/>\n");
            }

            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + PlotWidth + 8}\" y=\"{middle + 4}\">{Percent(variation.Rate)}</text>\n");
        }

        var axis = (experience.Variations.Count * RowHeight) + 4;
        html.Append(CultureInfo.InvariantCulture, $"""
            <path class="axis" d="M{LabelWidth} {axis}H{LabelWidth + PlotWidth}" stroke="#888"/>
            <text x="{LabelWidth}" y="{axis + 16}" text-anchor="middle">0%</text>
            <text x="{LabelWidth + PlotWidth}" y="{axis + 16}" text-anchor="middle">{Percent(scale)}</text>
            </svg>

            """);
    }

    private static double X(double value, double scale) => Math.Clamp(value / scale, 0, 1) * PlotWidth;

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Encode(string text) => Encoder.Encode(text);

    private static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "n/a";

    private static string Range(RateInterval? interval) =>
        interval is { } i ? $"{Percent(i.Lower)} to {Percent(i.Upper)}" : "n/a";

    private static string Points(double? difference) =>
        difference is { } d ? (d * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) + " pp" : "n/a";

    private static string PointsRange(RateInterval? interval) =>
        interval is { } i ? $"{Points(i.Lower)} to {Points(i.Upper)}" : "n/a";
}
