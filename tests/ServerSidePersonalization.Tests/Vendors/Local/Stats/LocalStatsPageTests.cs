using ServerSidePersonalization.Vendors.Local;
using ServerSidePersonalization.Vendors.Local.Stats;

namespace ServerSidePersonalization.Tests.Vendors.Local.Stats;

public sealed class LocalStatsPageTests
{
    [Fact]
    public void Render_MarkupInNames_IsEncodedAndNoScriptAppears()
    {
        var records = new[]
        {
            Record("impression", "<script>alert(1)</script>", "a\"b"),
            Record("click", "<script>alert(1)</script>", "a\"b"),
        };

        var html = LocalStatsPage.Render(LocalStatsReport.From(records), records.Length, 10);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("a\"b", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ThreeVariations_OneBarEachAndNoComparison()
    {
        var records = new[] { "red", "green", "blue" }.SelectMany(v => new[] { Record("impression", "hero", v), Record("impression", "hero", v) }).ToArray();

        var html = LocalStatsPage.Render(LocalStatsReport.From(records), records.Length, 10);

        Assert.Equal(3, html.Split("<rect class=\"bar\"").Length - 1);
        Assert.DoesNotContain("class=\"verdict\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MoreClicksThanImpressions_RateShownWithoutAnInterval()
    {
        var records = new[] { Record("impression", "hero", "red"), Record("click", "hero", "red"), Record("click", "hero", "red") };

        var html = LocalStatsPage.Render(LocalStatsReport.From(records), records.Length, 10);

        Assert.Contains("<td class=\"rate\">200.00%</td><td class=\"interval\">n/a</td>", html, StringComparison.Ordinal);
    }

    private static LocalTrackingRecord Record(string kind, string experience, string variation) =>
        new(Guid.NewGuid().ToString("D"), kind, DateTimeOffset.UnixEpoch, experience, variation, Element: null, Slot: null, User: null);
}
