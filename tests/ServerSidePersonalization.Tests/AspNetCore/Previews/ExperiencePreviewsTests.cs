using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerSidePersonalization.AspNetCore.Previews;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.AspNetCore.Previews;

/// <summary>
/// QA previews through the test server, on the Local provider: experience <c>hero</c> has variation <c>a</c> (every
/// visitor gets it) and <c>b</c> (weight 0: only a preview shows it). Every ignored preview is paired with what an
/// ordinary page view does, so "ignored" means "the ordinary page", events included.
/// </summary>
public sealed class ExperiencePreviewsTests : IDisposable
{
    private const string Page = "/Previews/Hero";
    private readonly ExperienceFiles _files = new();
    private readonly RecordingDestination _recorder = new();
    private readonly FaultyL2Store _l2 = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task SignedLink_InProduction_ShowsVariationWithNoEventsAndNoCacheWrite()
    {
        await using var app = await StartAsync(Environments.Production);
        var link = app.Services.GetRequiredService<IExperiencePreviews>().CreatePreviewLink("hero", "b", TimeSpan.FromHours(1));

        using var response = await app.GetAsync(Page + link, ("ssp_vid", "qa-visitor-1"));
        var html = await response.Content.ReadAsStringAsync();
        var l1Entries = app.Services.GetRequiredService<L1Cache>().Count;

        // The same page for another visitor, the ordinary way: one impression and one L2 write, which the preview lacks.
        await app.GetPageAsync(Page, ("ssp_vid", "ordinary-visitor-1"));
        Assert.True(await Eventually.TrueAsync(() => _l2.Sets > 0), "The ordinary page view wrote nothing to L2.");

        Assert.StartsWith("?pz-preview=", link, StringComparison.Ordinal);
        Assert.Contains("<h1>Previewed</h1>", html, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.DoesNotContain(_recorder.AllAccepted(), e => e.Identity.VisitorId == "qa-visitor-1");
        Assert.Single(_recorder.AcceptedImpressions("ordinary-visitor-1"));
        Assert.Equal(0, l1Entries);
        Assert.Equal(1, _l2.Sets);
        Assert.Equal(1, _l2.Gets);
    }

    /// <summary>The link still navigates (its href is the target itself) but no click endpoint sees it, so nothing is reported.</summary>
    [Fact]
    public async Task SignedLink_TrackedLinkOnPage_PointsStraightAtItsTarget()
    {
        await using var app = await StartAsync(Environments.Production);
        var link = app.Services.GetRequiredService<IExperiencePreviews>().CreatePreviewLink("hero", "b", TimeSpan.FromHours(1));

        var preview = await app.GetPageAsync(Page + link, ("ssp_vid", "qa-visitor-2"));
        var ordinary = await app.GetPageAsync(Page, ("ssp_vid", "qa-visitor-2"));

        Assert.Equal("/landing/b", Html.Href(preview, "cta"));
        Assert.StartsWith("/_personalization/click?t=", Html.Href(ordinary, "cta"), StringComparison.Ordinal);
        Assert.Empty(_recorder.AllAcceptedClicks());
    }

    [Fact]
    public async Task UnsignedPreview_InProduction_IsIgnored()
    {
        await using var app = await StartAsync(Environments.Production);

        using var response = await app.GetAsync(Page + "?pz-preview=hero:b", ("ssp_vid", "visitor-3"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<h1>Ordinary</h1>", html, StringComparison.Ordinal);
        Assert.Equal("private", response.Headers.CacheControl?.ToString());
        Assert.Equal("hero", Assert.Single(_recorder.AcceptedImpressions("visitor-3")).ExperienceKey);
        Assert.Equal(1, app.Services.GetRequiredService<L1Cache>().Count);
        Assert.Contains(app.Logs.Named("PreviewIgnored"), e => e.Message.Contains("Development only", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnsignedPreview_InDevelopment_ShowsVariationWithNoEvents()
    {
        await using var app = await StartAsync(Environments.Development);

        using var response = await app.GetAsync(Page + "?pz-preview=hero:b", ("ssp_vid", "visitor-4"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<h1>Previewed</h1>", html, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Empty(_recorder.AllAccepted());
        Assert.Equal(0, app.Services.GetRequiredService<L1Cache>().Count);
    }

    public static TheoryData<string> Invalid => new()
    {
        "forged",
        "expired",
        "other-purpose",
        "not-base64!",
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task InvalidPreview_InProduction_ShowsOrdinaryPageWithItsImpression(string kind)
    {
        await using var app = await StartAsync(Environments.Production);
        var previews = app.Services.GetRequiredService<ExperiencePreviews>();

        // The time-limited protector checks expiry on the system clock, so an expired link is one minted already expired.
        var value = kind switch
        {
            "forged" => Forge(previews.Protect("hero", "b", DateTimeOffset.UtcNow.AddHours(1))),
            "expired" => previews.Protect("hero", "b", DateTimeOffset.UtcNow.AddMinutes(-1)),
            "other-purpose" => OtherPurpose(app.Services),
            _ => kind,
        };

        using var response = await app.GetAsync(Page + "?pz-preview=" + Uri.EscapeDataString(value), ("ssp_vid", "visitor-5"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>Ordinary</h1>", html, StringComparison.Ordinal);
        Assert.Single(_recorder.AcceptedImpressions("visitor-5"));
    }

    [Fact]
    public async Task SignedLink_VariationUnknown_ShowsOrdinaryVariationStillWithoutEvents()
    {
        await using var app = await StartAsync(Environments.Production);
        var link = app.Services.GetRequiredService<IExperiencePreviews>().CreatePreviewLink("hero", "no-such-variation", TimeSpan.FromHours(1));

        var html = await app.GetPageAsync(Page + link, ("ssp_vid", "visitor-7"));

        // A valid link is a QA visit whatever it finds: the ordinary variation, fetched past the cache, reported nowhere.
        Assert.Contains("<h1>Ordinary</h1>", html, StringComparison.Ordinal);
        Assert.Empty(_recorder.AllAccepted());
        Assert.Equal(0, app.Services.GetRequiredService<L1Cache>().Count);
        Assert.Single(app.Logs.Named("PreviewVariationUnknown"));
    }

    [Fact]
    public async Task SignedLink_ExpiredValueLogged_AtDebug()
    {
        await using var app = await StartAsync(Environments.Production);
        var expired = app.Services.GetRequiredService<ExperiencePreviews>().Protect("hero", "b", DateTimeOffset.UtcNow.AddMinutes(-1));

        await app.GetPageAsync(Page + "?pz-preview=" + expired, ("ssp_vid", "visitor-6"));

        var logged = Assert.Single(app.Logs.Named("PreviewIgnored"));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, logged.Level);
        Assert.DoesNotContain(expired, logged.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(31 * 24 * 60)]
    public async Task CreatePreviewLink_LifetimeOutOfRange_Throws(int minutes)
    {
        await using var app = await StartAsync(Environments.Production);
        var previews = app.Services.GetRequiredService<IExperiencePreviews>();

        Assert.Throws<ArgumentOutOfRangeException>(() => previews.CreatePreviewLink("hero", "b", TimeSpan.FromMinutes(minutes)));
    }

    [Theory]
    [InlineData("", "b")]
    [InlineData("hero", "")]
    [InlineData("hero", "line\nbreak")]
    public async Task CreatePreviewLink_KeyOrVariationInvalid_Throws(string key, string variation)
    {
        await using var app = await StartAsync(Environments.Production);
        var previews = app.Services.GetRequiredService<IExperiencePreviews>();

        Assert.Throws<ArgumentException>(() => previews.CreatePreviewLink(key, variation, TimeSpan.FromHours(1)));
    }

    private static string Forge(string token)
    {
        var chars = token.ToCharArray();
        chars[^5] = chars[^5] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private static string OtherPurpose(IServiceProvider services)
    {
        var protector = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("SomethingElse").ToTimeLimitedDataProtector();
        return System.Buffers.Text.Base64Url.EncodeToString(protector.Protect("hero\nb"u8.ToArray(), DateTimeOffset.UtcNow.AddHours(1)));
    }

    private Task<TestApp> StartAsync(string environment) => TestApp.StartAsync(
        new Dictionary<string, string?>
        {
            ["Personalization:Local:File"] = _files.Write(JsonSerializer.Serialize(new
            {
                experiences = new[]
                {
                    new
                    {
                        key = "hero",
                        variations = new[]
                        {
                            new { id = "a", weight = 1, payload = new { Title = "Ordinary", CtaUrl = "/landing/a" } },
                            new { id = "b", weight = 0, payload = new { Title = "Previewed", CtaUrl = "/landing/b" } },
                        },
                    },
                },
            })),
        },
        services => services.AddSingleton<ITrackingDestination>(_recorder).AddSingleton<IL2Store>(_l2),
        environment: environment);
}
