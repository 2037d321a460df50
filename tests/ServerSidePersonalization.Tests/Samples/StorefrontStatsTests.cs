using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Vendors.Local;

namespace ServerSidePersonalization.Tests.Samples;

/// <summary>
/// The sample's <c>/_personalization/stats</c> after real page views and real clicks on the tracked call to action. The
/// counts are chosen to be Newcombe's single-proportion examples (81/263 and 15/148, Statistics in Medicine 17:857-872,
/// 1998), so the intervals on the page are checked against his published bounds.
/// </summary>
public sealed partial class StorefrontStatsTests
{
    private const string Hero = "home-hero";

    [Fact]
    public async Task Stats_PageViewsAndClicks_ShowCountsRatesWilsonIntervalsAndTheVerdict()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = CreateClient(factory);
        var visitors = VisitorsByVariation(factory, ("classic", 263), ("autumn-sale", 148));

        await ViewAndClickAsync(client, visitors["classic"], clicks: 81);
        await ViewAndClickAsync(client, visitors["autumn-sale"], clicks: 15);
        var store = factory.Services.GetRequiredService<LocalTrackingStore>();
        Assert.True(await Eventually.TrueAsync(() => store.Snapshot().Count(r => r.Experience == Hero) == 263 + 148 + 81 + 15));
        var page = await client.GetStringAsync("/_personalization/stats");

        var hero = Section(page, Hero);
        Assert.Equal(new Row("263", "81", "30.80%", "25.53% to 36.62%"), RowOf(hero, "classic"));
        Assert.Equal(new Row("148", "15", "10.14%", "6.24% to 16.05%"), RowOf(hero, "autumn-sale"));
        Assert.Equal("classic ahead", Verdict().Match(hero).Groups[1].Value);
        Assert.Equal(["autumn-sale", "classic"], Bar().Matches(hero).Select(m => m.Groups[1].Value));
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Stats_FewPageViews_NotEnoughDataYet()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = CreateClient(factory);
        var visitors = VisitorsByVariation(factory, ("classic", 3), ("autumn-sale", 2));

        await ViewAndClickAsync(client, visitors["classic"], clicks: 1);
        await ViewAndClickAsync(client, visitors["autumn-sale"], clicks: 0);
        var store = factory.Services.GetRequiredService<LocalTrackingStore>();
        Assert.True(await Eventually.TrueAsync(() => store.Snapshot().Count(r => r.Experience == Hero) == 6));
        var hero = Section(await client.GetStringAsync("/_personalization/stats"), Hero);

        var classic = RowOf(hero, "classic");
        Assert.Equal(("3", "1", "33.33%"), (classic.Impressions, classic.Clicks, classic.Rate));
        Assert.Equal("not enough data yet", Verdict().Match(hero).Groups[1].Value);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task Stats_OutsideDevelopment_404(string environment)
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web.UseEnvironment(environment));
        using var client = CreateClient(factory);

        using var response = await client.GetAsync("/_personalization/stats");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Stats_Development_HtmlWithoutScriptsOrCaching()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = CreateClient(factory);

        using var response = await client.GetAsync("/_personalization/stats");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("Nothing recorded yet", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private sealed record Row(string Impressions, string Clicks, string Rate, string Interval);

    /// <summary>Visitor ids that the sample's own experiences file buckets into each variation, by the Local provider's own bucketing.</summary>
    private static Dictionary<string, List<string>> VisitorsByVariation(WebApplicationFactory<Program> factory, params (string Variation, int Count)[] wanted)
    {
        var root = factory.Services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        var file = Path.Combine(root, "experiences.json");
        var hero = LocalExperienceSet.Parse(File.ReadAllBytes(file), file).Find(Hero)!;
        var visitors = wanted.ToDictionary(w => w.Variation, _ => new List<string>(), StringComparer.Ordinal);
        for (var i = 0; wanted.Any(w => visitors[w.Variation].Count < w.Count); i++)
        {
            var id = $"stats-visitor-{i:0000}";
            var variation = LocalBucketing.Choose(hero, LocalBucketing.Point(Hero, id)).Id;
            if (visitors.TryGetValue(variation, out var ids) && ids.Count < wanted.Single(w => w.Variation == variation).Count)
            {
                ids.Add(id);
            }
        }

        return visitors;
    }

    /// <summary>Each visitor views the home page once; the first <paramref name="clicks"/> of them follow its tracked call to action.</summary>
    private static async Task ViewAndClickAsync(HttpClient client, List<string> visitors, int clicks)
    {
        for (var i = 0; i < visitors.Count; i++)
        {
            var cookie = $"ssp_vid={visitors[i]}";
            using var view = new HttpRequestMessage(HttpMethod.Get, "/");
            view.Headers.Add("Cookie", cookie);
            using var page = await client.SendAsync(view);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            if (i >= clicks)
            {
                continue;
            }

            var link = WebUtility.HtmlDecode(Cta().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value);
            using var click = new HttpRequestMessage(HttpMethod.Get, link);
            click.Headers.Add("Cookie", cookie);
            using var redirect = await client.SendAsync(click);
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        }
    }

    private static HttpClient CreateClient(WebApplicationFactory<Program> factory)
    {
        // Without a User-Agent a request counts as a bot and records nothing.
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", TestApp.BrowserUserAgent);
        return client;
    }

    private static string Section(string page, string experience)
    {
        var match = Regex.Match(page, $"<section class=\"experience\" data-experience=\"{Regex.Escape(experience)}\">(.*?)</section>", RegexOptions.Singleline);
        Assert.True(match.Success, $"No section for {experience}:\n{page}");
        return match.Groups[1].Value;
    }

    private static Row RowOf(string section, string variation)
    {
        var match = Regex.Match(
            section,
            $"<tr data-variation=\"{Regex.Escape(variation)}\"><td>[^<]*</td><td class=\"impressions\">([^<]*)</td><td class=\"clicks\">([^<]*)</td><td class=\"rate\">([^<]*)</td><td class=\"interval\">([^<]*)</td></tr>");
        Assert.True(match.Success, $"No row for {variation}:\n{section}");
        return new Row(match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value, match.Groups[4].Value);
    }

    [GeneratedRegex("<span class=\"verdict\">([^<]*)</span>")]
    private static partial Regex Verdict();

    [GeneratedRegex("<rect class=\"bar\" data-variation=\"([^\"]*)\"")]
    private static partial Regex Bar();

    [GeneratedRegex("<a class=\"cta\" href=\"(/_personalization/click\\?t=[^\"]+)\"")]
    private static partial Regex Cta();
}
