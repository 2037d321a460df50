using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;

namespace ServerSidePersonalization.BrowserTests;

/// <summary>The sample in headless Chromium: what a visitor's browser really receives, stores and sends back.</summary>
public sealed class StorefrontBrowserTests : IClassFixture<StorefrontServer>, IClassFixture<Chromium>
{
    private readonly StorefrontServer _server;
    private readonly Chromium _chromium;

    public StorefrontBrowserTests(StorefrontServer server, Chromium chromium)
    {
        _server = server;
        _chromium = chromium;
    }

    // Headless Chromium says "HeadlessChrome", which the library treats as a bot (fallback content, no cookie); these
    // tests are about a person's browser, so it says what the headed browser would.
    private static readonly BrowserNewContextOptions PersonContext = new()
    {
        UserAgent = BrowserSession.PersonUserAgent,
    };

    [Fact]
    public async Task Home_FirstVisit_ShowsAHeroAndStoresAnHttpOnlyLaxVisitorCookie()
    {
        await using var context = await _chromium.Browser.NewContextAsync(PersonContext);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(_server.BaseUrl.ToString());

        Assert.Equal(200, response!.Status);
        Assert.Contains(await page.TextContentAsync("h1"), _server.HeroTargets().Keys);
        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "ssp_vid");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.Matches("^[0-9a-f]{32}$", cookie.Value);
        Assert.InRange(DateTimeOffset.FromUnixTimeSeconds((long)cookie.Expires) - DateTimeOffset.UtcNow, TimeSpan.FromDays(364), TimeSpan.FromDays(366));
        Assert.DoesNotContain("ssp_vid", await page.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_Reloads_KeepTheSameVariationAndTheCtaLeadsToItsUrl()
    {
        await using var context = await _chromium.Browser.NewContextAsync(PersonContext);
        var page = await context.NewPageAsync();
        await page.GotoAsync(_server.BaseUrl.ToString());
        var title = await page.TextContentAsync("h1");

        for (var i = 0; i < 3; i++)
        {
            await page.ReloadAsync();
            Assert.Equal(title, await page.TextContentAsync("h1"));
        }

        await page.ClickAsync("a.cta");
        await page.WaitForLoadStateAsync(LoadState.Load);

        Assert.Equal(_server.HeroTargets()[title!], new Uri(page.Url).AbsolutePath);
    }
}
