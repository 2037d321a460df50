using System.Net;

namespace ServerSidePersonalization.FeatureManagement.Tests;

public sealed class ExperienceFeatureTests
{
    [Theory]
    [InlineData("0", "variant-0", "variant-1")]
    [InlineData("1", "variant-1", "variant-0")]
    public async Task FeatureTag_VisitorsVariation_RendersOnlyItsBlockAndRecordsOneImpressionOfIt(string variation, string shown, string hidden)
    {
        await using var app = await FeatureApp.StartAsync(variation);

        var html = await app.Client.GetStringAsync(new Uri("/Hero/Variants", UriKind.Relative));

        Assert.Contains($"id=\"{shown}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"{hidden}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"no-hero\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<feature", html, StringComparison.Ordinal);
        var impression = Assert.Single(app.Impressions);
        Assert.Equal(("home-hero", variation), (impression.ExperienceKey, impression.Attribution!.VariationId));
    }

    [Fact]
    public async Task FeatureTag_OnlyAnotherVariationsBlock_RendersNothingAndRecordsNoImpression()
    {
        await using var app = await FeatureApp.StartAsync("1");

        var html = await app.Client.GetStringAsync(new Uri("/Hero/Zero", UriKind.Relative));

        Assert.DoesNotContain("variant-0", html, StringComparison.Ordinal);
        Assert.Empty(app.Impressions);
    }

    [Fact]
    public async Task FeatureTag_VisitorWithoutTheExperience_RendersTheNegatedBlockAndRecordsNoImpression()
    {
        await using var app = await FeatureApp.StartAsync(variation: null);

        var html = await app.Client.GetStringAsync(new Uri("/Hero/Variants", UriKind.Relative));

        Assert.Contains("id=\"no-hero\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"variant-", html, StringComparison.Ordinal);
        Assert.Empty(app.Impressions);
    }

    [Fact]
    public async Task GetVariantAsync_AskedInPageCode_AnswersTheVariationAndPayloadWithoutAnImpression()
    {
        await using var app = await FeatureApp.StartAsync("1");

        var html = await app.Client.GetStringAsync(new Uri("/Hero/Asked", UriKind.Relative));

        Assert.Contains("<p id=\"asked\">1|Title 1|/offers/1</p>", html, StringComparison.Ordinal);
        Assert.Empty(app.Impressions);

        // The visitor is the targeting user: Feature Management does not warn that variants lack one.
        Assert.Empty(app.Warnings);
    }

    [Theory]
    [InlineData("0", HttpStatusCode.OK)]
    [InlineData(null, HttpStatusCode.NotFound)]
    public async Task FeatureGate_OnAPage_ServesOnlyVisitorsWithTheExperience(string? variation, HttpStatusCode expected)
    {
        await using var app = await FeatureApp.StartAsync(variation);

        using var response = await app.Client.GetAsync(new Uri("/Hero/Gated", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
        Assert.Empty(app.Impressions);
    }

    [Fact]
    public async Task FeatureTag_ConfiguredFeature_KeepsItsDefinitionWithoutAskingTheProvider()
    {
        await using var app = await FeatureApp.StartAsync("1");

        var html = await app.Client.GetStringAsync(new Uri("/Hero/Configured", UriKind.Relative));

        Assert.Contains("id=\"beta\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Beta", app.Provider.AskedKeys);
        Assert.Empty(app.Impressions);
    }

    [Theory]
    [InlineData("0", "The classic hero", "The new hero")]
    [InlineData("1", "The new hero", "The classic hero")]
    public async Task ReadmePage_VisitorsVariation_RendersItsHeadlineOnly(string variation, string shown, string hidden)
    {
        await using var app = await FeatureApp.StartAsync(variation);

        var html = await app.Client.GetStringAsync(new Uri("/Readme", UriKind.Relative));

        Assert.Contains($"<h1>{shown}</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(hidden, html, StringComparison.Ordinal);
        Assert.Equal(variation, Assert.Single(app.Impressions).Attribution!.VariationId);
    }
}
