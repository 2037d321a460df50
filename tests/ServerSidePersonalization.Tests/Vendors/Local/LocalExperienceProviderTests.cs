using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Vendors.Local;

namespace ServerSidePersonalization.Tests.Vendors.Local;

public sealed class LocalExperienceProviderTests : IAsyncLifetime, IDisposable
{
    private const string Key = "hero";

    // Ten variations with unequal weights, so that agreeing by chance with the expected variation is unlikely.
    private static readonly (string Id, double Weight)[] Variations =
        [("v0", 1), ("v1", 2), ("v2", 3), ("v3", 4), ("v4", 5), ("v5", 5), ("v6", 4), ("v7", 3), ("v8", 2), ("v9", 1)];

    private readonly ExperienceFiles _files = new();
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        var variations = string.Join(", ", Variations.Select(v => $$"""{ "id": "{{v.Id}}", "weight": {{v.Weight}}, "payload": { "variation": "{{v.Id}}" } }"""));
        var path = _files.Write($$"""{ "experiences": [ { "key": "{{Key}}", "variations": [ {{variations}} ] } ] }""");
        _app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["Personalization:Local:File"] = path },
            beforePersonalization: app => app.UseTestUser(),
            endpoints: app => app.MapGet("/variation/{key}", async (HttpContext context, string key) =>
            {
                var experience = await context.GetPersonalization().GetExperienceAsync(key);
                return experience is null ? "(none)" : $"{experience.Attribution.VariationId}|{experience.GetString("variation")}";
            }));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    // xunit calls this after DisposeAsync, once the app no longer watches the file.
    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task GetExperience_SameVisitorCookie_GetsTheSameVariationEveryTime()
    {
        for (var visitor = 0; visitor < 20; visitor++)
        {
            var first = await VariationAsync(Key, $"visitor-{visitor}");
            for (var repeat = 0; repeat < 5; repeat++)
            {
                Assert.Equal(first, await VariationAsync(Key, $"visitor-{visitor}"));
            }
        }
    }

    [Fact]
    public async Task GetExperience_200Visitors_CoverEveryVariation()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var visitor = 0; visitor < 200; visitor++)
        {
            seen.Add(await VariationAsync(Key, $"visitor-{visitor}"));
        }

        Assert.Equal(Variations.Length, seen.Count);
    }

    [Fact]
    public async Task GetExperience_VisitorCookie_GetsTheVariationBucketingChoosesForTheVisitorId()
    {
        for (var visitor = 0; visitor < 50; visitor++)
        {
            var visitorId = $"visitor-{visitor}";
            var expected = Expected(visitorId);

            Assert.Equal($"{expected}|{expected}", await VariationAsync(Key, visitorId));
        }
    }

    [Fact]
    public async Task GetExperience_SignedInCustomer_BucketsByTheCustomerId()
    {
        const string visitorId = "visitor-7";
        var customerId = Enumerable.Range(0, 1000).Select(i => $"customer-{i}").First(c => Expected(c) != Expected(visitorId));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/variation/{Key}");
        request.Headers.Add("Cookie", $"ssp_vid={visitorId}");
        request.Headers.Add(TestUser.HeaderPrefix + "nameid", customerId);
        using var response = await _app.Client.SendAsync(request);

        var expected = Expected(customerId);
        Assert.Equal($"{expected}|{expected}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetExperience_UnknownKey_ReturnsNull()
    {
        Assert.Equal("(none)", await VariationAsync("unknown", "visitor-1"));
    }

    [Fact]
    public async Task FetchAsync_OnlyUnknownKeys_ReturnsAnEmptyResultWithoutFailures()
    {
        var provider = _app.Services.GetRequiredService<LocalExperienceProvider>();

        var result = await provider.FetchAsync(Request(new VisitorIdentity(null, "visitor-1"), "unknown", "other"), CancellationToken.None);

        Assert.Empty(result.Experiences);
        Assert.Empty(result.FailedKeys);
    }

    [Fact]
    public async Task FetchAsync_KnownAndUnknownKeys_ReturnsOnlyTheKnownOne()
    {
        var provider = _app.Services.GetRequiredService<LocalExperienceProvider>();

        var result = await provider.FetchAsync(Request(new VisitorIdentity(null, "visitor-1"), "unknown", Key), CancellationToken.None);

        var experience = Assert.Single(result.Experiences);
        Assert.Equal(Key, experience.Key);
        Assert.Equal(Expected("visitor-1"), experience.Value.Attribution.VariationId);
        Assert.Empty(result.FailedKeys);
    }

    [Fact]
    public async Task FetchAsync_CustomerAndVisitorIds_UsesTheCustomerId()
    {
        var provider = _app.Services.GetRequiredService<LocalExperienceProvider>();
        var customerId = Enumerable.Range(0, 1000).Select(i => $"customer-{i}").First(c => Expected(c) != Expected("visitor-1"));

        var result = await provider.FetchAsync(Request(new VisitorIdentity(customerId, "visitor-1"), Key), CancellationToken.None);

        Assert.Equal(Expected(customerId), result.Experiences[Key].Attribution.VariationId);
    }

    [Fact]
    public async Task FetchAsync_NoUserIdAtAll_StillReturnsOneOfTheVariations()
    {
        var provider = _app.Services.GetRequiredService<LocalExperienceProvider>();

        var result = await provider.FetchAsync(Request(VisitorIdentity.Anonymous, Key), CancellationToken.None);

        Assert.Contains(result.Experiences[Key].Attribution.VariationId, Variations.Select(v => v.Id));
    }

    [Fact]
    public void Name_IsLocal()
    {
        Assert.Equal("Local", _app.Services.GetRequiredService<LocalExperienceProvider>().Name);
    }

    /// <summary>The variation the weights give for this user's point, computed here from <see cref="Variations"/>.</summary>
    private static string Expected(string userId)
    {
        var target = LocalBucketing.Point(Key, userId) * Variations.Sum(v => v.Weight);
        var cumulative = 0.0;
        foreach (var (id, weight) in Variations)
        {
            cumulative += weight;
            if (target < cumulative)
            {
                return id;
            }
        }

        return Variations[^1].Id;
    }

    private static ExperienceRequest Request(VisitorIdentity identity, params string[] keys) =>
        new(identity, keys, new RequestAttributes(DateTimeOffset.UnixEpoch));

    private async Task<string> VariationAsync(string key, string visitorId)
    {
        using var response = await _app.GetAsync($"/variation/{key}", ("ssp_vid", visitorId));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
