using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;
using Storefront;

namespace ServerSidePersonalization.Tests.Samples;

/// <summary>The Storefront sample as a new user runs it: its own Program.cs, appsettings.json and experiences.json.</summary>
public sealed partial class StorefrontTests : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly WebApplicationFactory<Program> _factory;

    public StorefrontTests(WebApplicationFactory<Program> factory) => _factory = factory;

    [Fact]
    public async Task Home_NewVisitor_RendersAHeroTitleFromTheFileAndIssuesAVisitorCookie()
    {
        using var client = CreateClient(_factory);

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Headline(await response.Content.ReadAsStringAsync()), HeroTitles(_factory));
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ssp_vid=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=31536000", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Healthz_AllWell_200WithThePersonalizationCheckHealthy()
    {
        using var client = CreateClient(_factory);

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var check = body.RootElement.GetProperty("checks").GetProperty("personalization");
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        Assert.Equal("Personalization is working.", check.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Home_ReturningVisitor_SeesTheSameTitleEveryTime()
    {
        using var client = CreateClient(_factory);
        using var first = await client.GetAsync("/");
        var title = Headline(await first.Content.ReadAsStringAsync());
        var cookie = first.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ssp_vid=", StringComparison.Ordinal)).Split(';')[0];

        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Add("Cookie", cookie);
            using var again = await client.SendAsync(request);

            Assert.Equal(title, Headline(await again.Content.ReadAsStringAsync()));
            Assert.False(again.Headers.Contains("Set-Cookie"), "A returning visitor gets no new cookie.");
        }
    }

    [Fact]
    public async Task Home_ThousandNewVisitors_SplitBetweenTheTwoVariationsWithin45To55Percent()
    {
        // New visitors get their cookie ids from a seeded generator instead of the cryptographic one, so the split is
        // the same on every run: with truly random ids, 1,000 visitors fall outside 45-55% about once in 700 runs.
        await using var factory = _factory.WithWebHostBuilder(web => web.ConfigureServices(services =>
            services.AddSingleton<ServerSidePersonalization.Identity.VisitorIdGenerator>(new SeededVisitorIds(20261122))));
        using var client = CreateClient(factory);
        var titles = HeroTitles(_factory);
        Assert.Equal(2, titles.Count);

        var counts = titles.ToDictionary(t => t, _ => 0);
        for (var i = 0; i < 1000; i++)
        {
            using var response = await client.GetAsync("/");
            counts[Headline(await response.Content.ReadAsStringAsync())]++;
        }

        Assert.All(counts.Values, count => Assert.InRange(count, 450, 550));
    }

    [Fact]
    public async Task HeroApi_DeclaredExperience_ReturnsTheSameVariationAsThePage()
    {
        using var client = CreateClient(_factory);
        using var page = await client.GetAsync("/");
        var title = Headline(await page.Content.ReadAsStringAsync());
        var cookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ssp_vid=", StringComparison.Ordinal)).Split(';')[0];

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/hero");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        var hero = await response.Content.ReadFromJsonAsync<HeroDto>();

        Assert.Equal(title, hero!.Title);
        Assert.NotNull(hero.Variation);
    }

    [Fact]
    public async Task ProductPage_ReadsTheThresholdInCodeAndUnknownProductIs404()
    {
        using var client = CreateClient(_factory);

        var page = await client.GetStringAsync("/products/canvas-tote");
        using var missing = await client.GetAsync("/products/no-such-thing");

        Assert.Matches("Add \\$\\d+\\.00 more for free shipping", page);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Home_PointedAtMoEngageByConfigurationAlone_RendersItsExperience()
    {
        await using var stub = await StubVendorServer.StartAsync();
        stub.Respond = MoEngageStub.Answer(title: key => $"MoEngage says hello to {key}");
        await using var factory = _factory.WithWebHostBuilder(web => web.ConfigureAppConfiguration((_, config) =>
            config.AddInMemoryCollection(MoEngageStub.Settings(stub))));
        using var client = CreateClient(factory);

        var page = await client.GetStringAsync("/");
        using var click = await client.GetAsync(WebUtility.HtmlDecode(Cta().Match(page).Groups[1].Value));

        Assert.Equal("MoEngage says hello to home-hero", Headline(page));
        Assert.Equal(["free-shipping-banner", "home-hero"], MoEngageStub.Keys(Assert.Single(stub.Requests)).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal("/landing/home-hero", click.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Home_RedisByConfigurationAlone_KeepsEntriesInRedis()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var factory = _factory.WithWebHostBuilder(web => web.ConfigureAppConfiguration((_, config) =>
            config.AddInMemoryCollection(new Dictionary<string, string?> { ["Personalization:Cache:Redis"] = redis.ConnectionString })));
        using var client = CreateClient(factory);

        // Redis connects in the background and the write after a fetch is not awaited by the page: page views are
        // repeated until the keys show, bounded by the one polling helper.
        var keys = new List<string>();
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            using var response = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            keys.AddRange(await redis.KeysAsync("ssp:*"));
            return keys.Count > 0;
        }));

        Assert.Contains(keys, k => k.StartsWith("ssp:v2:{", StringComparison.Ordinal) && k.EndsWith("}:Local:home-hero", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Home_MoEngageDown_RendersTheFallbackHeadline()
    {
        await using var stub = await StubVendorServer.StartAsync();
        stub.Respond = _ => StubResponse.Json("""{"title":"Internal Server Error"}""", 500);
        await using var factory = _factory.WithWebHostBuilder(web => web.ConfigureAppConfiguration((_, config) =>
            config.AddInMemoryCollection(MoEngageStub.Settings(stub))));
        using var client = CreateClient(factory);

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Welcome to the Storefront", Headline(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Start_MoEngageWithoutApiKey_FailsNamingTheKey()
    {
        // The published sample as a real process: WebApplicationFactory races the app's own disposal when its start-up
        // fails, and may report that (ObjectDisposedException) instead of the validation error.
        var (exitCode, output) = await PublishedSample.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["Personalization__Provider"] = "MoEngage",
            ["Personalization__MoEngage__DataCenter"] = "01",
            ["Personalization__MoEngage__WorkspaceId"] = "WS",
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("OptionsValidationException", output, StringComparison.Ordinal);
        Assert.Contains("Personalization:MoEngage:ApiKey", output, StringComparison.Ordinal);
    }

    private sealed class SeededVisitorIds(int seed) : ServerSidePersonalization.Identity.VisitorIdGenerator
    {
        private readonly Random _random = new(seed);

        public override string NewId()
        {
            var bytes = new byte[16];
            lock (_random)
            {
                _random.NextBytes(bytes);
            }

            return Convert.ToHexStringLower(bytes);
        }
    }

    private static HttpClient CreateClient(WebApplicationFactory<Program> factory)
    {
        // Without a User-Agent a request counts as a bot and gets fallback content only.
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", TestApp.BrowserUserAgent);
        return client;
    }

    /// <summary>The hero titles the sample's own experiences file defines, read from the app's content root.</summary>
    private static HashSet<string> HeroTitles(WebApplicationFactory<Program> factory)
    {
        var root = factory.Services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        using var file = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "experiences.json")));
        return [.. file.RootElement.GetProperty("experiences").EnumerateArray()
            .Single(e => e.GetProperty("key").GetString() == "home-hero")
            .GetProperty("variations").EnumerateArray()
            .Select(v => v.GetProperty("payload").GetProperty("Title").GetString()!)];
    }

    private static string Headline(string html) => System.Net.WebUtility.HtmlDecode(H1().Match(html).Groups[1].Value.Trim());

    [GeneratedRegex("<h1>(.*?)</h1>", RegexOptions.Singleline)]
    private static partial Regex H1();

    [GeneratedRegex("<a class=\"cta\" href=\"(/_personalization/click\\?t=[^\"]+)\"")]
    private static partial Regex Cta();
}
