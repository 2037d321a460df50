using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using ServerSidePersonalization.Testing;

namespace ServerSidePersonalization.Testing.Tests;

/// <summary>
/// A site's own tests, as a user writes them: the Storefront sample's home page under each pinned variation of
/// <c>home-hero</c>, with what it tracked read back from the factory.
/// </summary>
public sealed partial class StorefrontHomeTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    [Theory]
    [InlineData("0", "Everything for the weekend")]
    [InlineData("1", "New season, new shelves")]
    public async Task Home_PinnedVariation_RendersItsTitleAndRecordsOneImpressionOfIt(string variation, string title)
    {
        var site = factory.WithPersonalization(p => p.WithExperience("home-hero", variation, new { Title = title, CtaUrl = "/products/linen-shirt", CtaText = "Shop" }));

        var html = await Client(site).GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains($"<h1>{title}</h1>", html, StringComparison.Ordinal);
        var impression = Assert.Single(site.RecordedImpressions);
        Assert.Equal("home-hero", impression.ExperienceKey);
        Assert.Equal(variation, impression.Attribution!.VariationId);
        Assert.Empty(site.RecordedClicks);
    }

    [Fact]
    public async Task Home_TrackedLinkFollowed_RecordsOneClickOfThePinnedVariationAndRedirects()
    {
        var site = factory.WithPersonalization(p => p.WithExperience("home-hero", variation: "1", new { Title = "Hello", CtaUrl = "/products/linen-shirt", CtaText = "Shop" }));
        var client = Client(site, new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var link = WebUtility.HtmlDecode(ClickLink().Match(html).Groups[1].Value);

        using var response = await client.GetAsync(new Uri(link, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/products/linen-shirt", response.Headers.Location?.OriginalString);
        var click = Assert.Single(site.RecordedClicks);
        Assert.Equal(("home-hero", "1", "cta"), (click.ExperienceKey, click.Attribution!.VariationId, click.ElementId));
    }

    [Fact]
    public async Task Home_NothingPinned_RendersTheFallbackAndRecordsNothing()
    {
        var site = factory.WithPersonalization(_ => { });

        var html = await Client(site).GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("<h1>Welcome to the Storefront</h1>", html, StringComparison.Ordinal);
        Assert.Empty(site.RecordedImpressions);
    }

    [Fact]
    public async Task Home_OtherKeyPinned_LeavesHomeHeroAbsent()
    {
        var site = factory.WithPersonalization(p => p.WithExperience("free-shipping-banner", "0", new { Text = "Free shipping" }));

        var html = await Client(site).GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("<h1>Welcome to the Storefront</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(site.RecordedImpressions, i => i.ExperienceKey == "home-hero");
    }

    [Fact]
    public async Task WithPersonalization_CalledAgain_ReplacesThePins()
    {
        var site = factory
            .WithPersonalization(p => p.WithExperience("home-hero", "0", new { Title = "First" }))
            .WithPersonalization(p => p.WithExperience("home-hero", "1", new { Title = "Second" }));

        var html = await Client(site).GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("<h1>Second</h1>", html, StringComparison.Ordinal);
        Assert.Equal("1", Assert.Single(site.RecordedImpressions).Attribution!.VariationId);
    }

    [Fact]
    public void RecordedImpressions_FactoryWithoutPersonalization_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => factory.RecordedImpressions);

        Assert.Contains("WithPersonalization", error.Message, StringComparison.Ordinal);
    }

    private static HttpClient Client(WebApplicationFactory<Program> site, WebApplicationFactoryClientOptions? options = null)
    {
        var client = site.CreateClient(options ?? new WebApplicationFactoryClientOptions());

        // Without a User-Agent a request counts as a bot: fallback content, nothing tracked.
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Browser);
        return client;
    }

    [GeneratedRegex("href=\"(/_personalization/click\\?[^\"]+)\"")]
    private static partial Regex ClickLink();
}
