using System.Net;

namespace ServerSidePersonalization.Tests.Samples;

/// <summary>The sample's QA preview link and debug page (it runs in Development under the factory).</summary>
public sealed partial class StorefrontTests
{
    [Theory]
    [InlineData("classic", "Everyday essentials, made to last")]
    [InlineData("autumn-sale", "Autumn sale: 20% off outerwear")]
    public async Task PreviewLink_RedirectsHomeShowingTheChosenVariation(string variation, string title)
    {
        using var client = CreateClient(_factory);

        using var link = await client.GetAsync($"/qa/preview?key=home-hero&variation={variation}");
        using var request = new HttpRequestMessage(HttpMethod.Get, link.Headers.Location);
        request.Headers.Add("Cookie", "ssp_vid=sample-qa-visitor-1");
        using var page = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, link.StatusCode);
        Assert.StartsWith("/?pz-preview=", link.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(title, Headline(await page.Content.ReadAsStringAsync()));
        Assert.True(page.Headers.CacheControl?.NoStore, $"Cache-Control: {page.Headers.CacheControl}");
    }

    [Fact]
    public async Task PreviewLink_KeyNotAnExperienceKey_Answers400()
    {
        using var client = CreateClient(_factory);

        using var response = await client.GetAsync("/qa/preview?key=&variation=classic");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DebugPage_ShowsTheMaskedVisitorAndTheSiteWideExperience()
    {
        using var client = CreateClient(_factory);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_personalization/debug?keys=home-hero");
        request.Headers.Add("Cookie", "ssp_vid=sample-debug-visitor-1");

        using var response = await client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("sample-debug-visitor-1", html, StringComparison.Ordinal);
        Assert.Contains("<td>samp…</td>", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-key=\"free-shipping-banner\"><td>free-shipping-banner</td><td>", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-key=\"home-hero\"><td>home-hero</td><td>", html, StringComparison.Ordinal);
    }
}
