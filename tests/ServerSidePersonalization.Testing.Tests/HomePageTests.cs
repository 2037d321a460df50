using Microsoft.AspNetCore.Mvc.Testing;

namespace ServerSidePersonalization.Testing.Tests;

// The README's "Testing your site" example, verbatim.
public sealed class HomePageTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    public async Task Home_EachVariation_ShowsItsTitleAndCountsOneImpression(string variation)
    {
        var site = factory.WithPersonalization(p => p.WithExperience("home-hero", variation, new { Title = $"Hero {variation}" }));
        var client = site.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0"); // without a User-Agent the request is a bot

        var html = await client.GetStringAsync("/");

        Assert.Contains($"Hero {variation}", html);
        Assert.Equal(variation, Assert.Single(site.RecordedImpressions).Attribution?.VariationId);
    }
}
