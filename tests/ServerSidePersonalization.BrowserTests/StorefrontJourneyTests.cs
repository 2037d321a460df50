using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;

namespace ServerSidePersonalization.BrowserTests;

/// <summary>
/// A visitor's walk through the sample in headless Chromium, with a screenshot of each step under the test output
/// (<c>bin/Release/net10.0/screenshots/</c>) and no console error anywhere.
/// </summary>
public sealed class StorefrontJourneyTests : IClassFixture<StorefrontServer>, IClassFixture<Chromium>
{
    private readonly StorefrontServer _server;
    private readonly Chromium _chromium;

    public StorefrontJourneyTests(StorefrontServer server, Chromium chromium)
    {
        _server = server;
        _chromium = chromium;
    }

    [Fact]
    public async Task Home_FirstHtmlResponse_AlreadyHoldsTheVariationTheBrowserShows()
    {
        await using var browser = await BrowserSession.StartAsync(_chromium.Browser, nameof(Home_FirstHtmlResponse_AlreadyHoldsTheVariationTheBrowserShows));

        var response = await browser.Page.GotoAsync(_server.BaseUrl.ToString());
        await browser.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await browser.ScreenshotAsync("home");

        var shown = await browser.Page.TextContentAsync("h1");
        Assert.Contains(shown, _server.HeroTargets().Keys);
        Assert.Contains($"<h1>{WebUtility.HtmlEncode(shown)}</h1>", await response!.TextAsync(), StringComparison.Ordinal);

        // The same visitor with scripts off sees the same variation: nothing on the client swaps it in.
        await using var noScript = await BrowserSession.StartAsync(_chromium.Browser, nameof(Home_FirstHtmlResponse_AlreadyHoldsTheVariationTheBrowserShows) + "-noscript", javaScript: false);
        var visitor = (await browser.Context.CookiesAsync()).Single(c => c.Name == "ssp_vid");
        await noScript.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = visitor.Name, Value = visitor.Value, Url = _server.BaseUrl.ToString() }]);
        await noScript.Page.GotoAsync(_server.BaseUrl.ToString());
        await noScript.ScreenshotAsync("home-without-javascript");
        Assert.Equal(shown, await noScript.Page.TextContentAsync("h1"));

        Assert.True(browser.Errors.Count == 0, string.Join('\n', browser.Errors));
        Assert.True(noScript.Errors.Count == 0, string.Join('\n', noScript.Errors));
    }

    [Fact]
    public async Task Cta_Clicked_GoesThroughTheClickEndpointToTheVariationsTarget()
    {
        await using var browser = await BrowserSession.StartAsync(_chromium.Browser, nameof(Cta_Clicked_GoesThroughTheClickEndpointToTheVariationsTarget));
        await browser.Page.GotoAsync(_server.BaseUrl.ToString());
        var title = await browser.Page.TextContentAsync("h1");
        await browser.ScreenshotAsync("home");

        var variation = _server.HeroVariations().Single(v => v.Payload.GetProperty("Title").GetString() == title).Id;
        await browser.Page.GotoAsync(new Uri(_server.BaseUrl, "/_personalization/stats").ToString());
        var clicksBefore = await ClicksAsync(browser.Page, variation);
        await browser.ScreenshotAsync("stats-before");
        await browser.Page.GoBackAsync();

        await browser.Page.ClickAsync("a.cta");
        await browser.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await browser.ScreenshotAsync("target");

        Assert.Equal(_server.HeroTargets()[title!], new Uri(browser.Page.Url).AbsolutePath);
        var click = Assert.Single(browser.Responses, r => r.Url.AbsolutePath == "/_personalization/click");
        Assert.Equal(302, click.Status);
        Assert.StartsWith("t=", click.Url.Query.TrimStart('?'), StringComparison.Ordinal);

        // The Local destination records the click in the background (its flush interval): the stats page is reloaded
        // until it shows it, within a bound.
        await browser.Page.GotoAsync(new Uri(_server.BaseUrl, "/_personalization/stats").ToString());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await ClicksAsync(browser.Page, variation) == clicksBefore && !deadline.IsCancellationRequested)
        {
            await browser.Page.ReloadAsync();
        }

        await browser.ScreenshotAsync("stats-after");
        Assert.Equal(clicksBefore + 1, await ClicksAsync(browser.Page, variation));
        Assert.True(browser.Errors.Count == 0, string.Join('\n', browser.Errors));
    }

    /// <summary>The clicks the stats page shows for a variation of home-hero; 0 while it has no row.</summary>
    private static async Task<int> ClicksAsync(IPage page, string variation)
    {
        var cell = page.Locator($"section[data-experience='home-hero'] tr[data-variation='{variation}'] td.clicks");
        return await cell.CountAsync() == 0 ? 0 : int.Parse((await cell.TextContentAsync())!, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("classic", "Everyday essentials, made to last")]
    [InlineData("autumn-sale", "Autumn sale: 20% off outerwear")]
    public async Task PreviewLink_EachVariation_ShowsItWithAnUntrackedLinkAndTheDebugPageSaysPreview(string variation, string title)
    {
        await using var browser = await BrowserSession.StartAsync(_chromium.Browser, $"{nameof(PreviewLink_EachVariation_ShowsItWithAnUntrackedLinkAndTheDebugPageSaysPreview)}-{variation}");

        // The sample's QA page (Development only) mints a signed link and redirects to it.
        await browser.Page.GotoAsync(new Uri(_server.BaseUrl, $"/qa/preview?key=home-hero&variation={variation}").ToString());
        await browser.ScreenshotAsync("preview");

        Assert.Equal(title, await browser.Page.TextContentAsync("h1"));
        Assert.StartsWith("?pz-preview=", new Uri(browser.Page.Url).Query, StringComparison.Ordinal);
        var cta = await browser.Page.GetAttributeAsync("a.cta", "href");
        Assert.Equal(_server.HeroTargets()[title], cta);

        // The preview link's query on the debug page: the hero's origin is Preview.
        await browser.Page.GotoAsync(new Uri(_server.BaseUrl, "/_personalization/debug" + new Uri(browser.Page.Url).Query + "&keys=home-hero").ToString());
        await browser.ScreenshotAsync("debug");
        var hero = browser.Page.Locator("#experiences tr[data-key='home-hero'] td");
        Assert.Equal("preview", (await hero.Nth(1).TextContentAsync())?.Trim().ToLowerInvariant());
        Assert.Equal(variation, await hero.Nth(3).TextContentAsync());
        Assert.True(browser.Errors.Count == 0, string.Join('\n', browser.Errors));
    }

    [Fact]
    public async Task DebugPage_AfterAVisit_ShowsTheMaskedVisitorItsCookieAndTheHeroFromL1()
    {
        await using var browser = await BrowserSession.StartAsync(_chromium.Browser, nameof(DebugPage_AfterAVisit_ShowsTheMaskedVisitorItsCookieAndTheHeroFromL1));
        await browser.Page.GotoAsync(_server.BaseUrl.ToString());
        var visitor = (await browser.Context.CookiesAsync()).Single(c => c.Name == "ssp_vid").Value;

        await browser.Page.GotoAsync(new Uri(_server.BaseUrl, "/_personalization/debug?keys=home-hero").ToString());
        await browser.ScreenshotAsync("debug");

        var page = await browser.Page.ContentAsync();
        Assert.DoesNotContain(visitor, page, StringComparison.Ordinal);
        Assert.Contains(visitor[..4] + "…", await browser.Page.TextContentAsync("#identity"), StringComparison.Ordinal);
        Assert.Contains("ssp_vid", await browser.Page.TextContentAsync("#sources"), StringComparison.Ordinal);
        var hero = browser.Page.Locator("#experiences tr[data-key='home-hero'] td");
        Assert.Equal("l1", (await hero.Nth(1).TextContentAsync())?.Trim().ToLowerInvariant());
        Assert.True(browser.Errors.Count == 0, string.Join('\n', browser.Errors));
    }
}
