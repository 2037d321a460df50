using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.AspNetCore;

public sealed class ExperienceProviderPersonalizationBuilderExtensionsTests
{
    [Fact]
    public async Task AddExperienceProvider_NamedByProvider_AnswersThePage()
    {
        await using var app = await TestApp.StartAsync(
            settings: new Dictionary<string, string?> { ["Personalization:Provider"] = "own" },
            services: services => services.AddServerSidePersonalization().AddExperienceProvider<OwnProvider>("Own", TimeSpan.FromSeconds(5)),
            endpoints: web => web.MapGet("/title", async (HttpContext context) =>
                (await context.GetPersonalization().GetExperienceAsync("banner"))?.GetString("Title") ?? "none"));

        var title = await app.GetPageAsync("/title");

        Assert.Equal("Own banner", title);
    }

    [Fact]
    public async Task AddExperienceProvider_NotNamedByProvider_IsNotAsked()
    {
        await using var app = await TestApp.StartAsync(
            services: services => services.AddServerSidePersonalization().AddExperienceProvider<OwnProvider>("Own", TimeSpan.FromSeconds(5)),
            endpoints: web => web.MapGet("/title", async (HttpContext context) =>
                (await context.GetPersonalization().GetExperienceAsync("banner"))?.GetString("Title") ?? "none"));

        var title = await app.GetPageAsync("/title");

        Assert.Equal("none", title);
    }

    [Fact]
    public void AddExperienceProvider_BudgetNotPositive_Throws()
    {
        var builder = new ServiceCollection().AddServerSidePersonalization();

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddExperienceProvider<OwnProvider>("Own", TimeSpan.Zero));
    }

    private sealed class OwnProvider : IExperienceProvider
    {
        public string Name => "Own";

        public ValueTask<ExperienceFetchResult> FetchAsync(ExperienceRequest request, CancellationToken cancellationToken)
        {
            var payload = new Dictionary<string, ExperienceValue>
            {
                ["Title"] = new(JsonSerializer.SerializeToElement("Own banner"), ExperienceDataType.String),
            };
            var banner = new Experience("banner", payload, new ExperienceAttribution("Own", JsonSerializer.SerializeToElement(new { }), "a"));
            return ValueTask.FromResult(new ExperienceFetchResult(new Dictionary<string, Experience> { ["banner"] = banner }));
        }
    }
}
