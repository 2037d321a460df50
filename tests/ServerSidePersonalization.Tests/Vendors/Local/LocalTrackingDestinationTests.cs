using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Vendors.Local;

namespace ServerSidePersonalization.Tests.Vendors.Local;

/// <summary>The Local provider's impressions and clicks, recorded in memory and in a JSON-lines file.</summary>
public sealed class LocalTrackingDestinationTests : IDisposable
{
    private readonly ExperienceFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Impression_RenderedLocalExperience_RecordedInMemoryAndFileWithoutRawIds()
    {
        var log = Path.Combine(Path.GetDirectoryName(_files.Write("{}", "placeholder.json"))!, "events.jsonl");
        await using var app = await StartAsync(("Personalization:Tracking:Local:File", log));

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-raw-1"));
        await app.GetAsync("/click", ("ssp_vid", "visitor-raw-1"));

        var store = app.Services.GetRequiredService<LocalTrackingStore>();
        Assert.True(await Eventually.TrueAsync(() => store.Snapshot().Count == 2));
        var records = store.Snapshot();
        Assert.Equal(["impression", "click"], records.Select(r => r.Kind));
        Assert.All(records, r =>
        {
            Assert.Equal("hero", r.Experience);
            Assert.Equal("only", r.Variation);
            Assert.NotNull(r.User);
            Assert.DoesNotContain("visitor-raw-1", r.User, StringComparison.Ordinal);
        });
        Assert.Equal("cta", records[1].Element);
        Assert.Single(records.Select(r => r.User).Distinct());

        var lines = await File.ReadAllLinesAsync(log);
        Assert.Equal(2, lines.Length);
        Assert.Equal(records.Select(r => r.Id), lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()));
        Assert.DoesNotContain("visitor-raw-1", string.Concat(lines), StringComparison.Ordinal);
    }

    /// <summary>The identity keeps an email customer id as found; Local records the user only as a hash of it.</summary>
    [Fact]
    public async Task Impression_EmailCustomer_RecordedAsAHashNeverTheAddress()
    {
        var log = Path.Combine(Path.GetDirectoryName(_files.Write("{}", "placeholder.json"))!, "events.jsonl");
        await using var app = await StartAsync(("Personalization:Tracking:Local:File", log));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Tags/Hero");
        request.Headers.Add("Cookie", "ssp_vid=visitor-raw-1");
        request.Headers.Add(TestUser.HeaderPrefix + "nameid", "Jane.Doe@Example.com");

        (await app.Client.SendAsync(request)).Dispose();

        var store = app.Services.GetRequiredService<LocalTrackingStore>();
        Assert.True(await Eventually.TrueAsync(() => store.Snapshot().Count == 1));
        var user = Assert.Single(store.Snapshot()).User;
        Assert.Matches("^[0-9a-f]{16}$", user);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("Jane.Doe@Example.com"u8).AsSpan(0, 8)), user);
        var file = string.Concat(await File.ReadAllLinesAsync(log));
        Assert.DoesNotContain("jane.doe", file, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("jane.doe", app.Logs.AllText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Store_KeepsOnlyTheMostRecentEvents()
    {
        await using var app = await StartAsync(("Personalization:Tracking:Local:MaxEvents", "5"));

        for (var i = 0; i < 8; i++)
        {
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", $"visitor-{i}"));
        }

        var store = app.Services.GetRequiredService<LocalTrackingStore>();
        await app.App.StopAsync();
        Assert.Equal(5, store.Snapshot().Count);
    }

    [Fact]
    public async Task Tracking_LocalDisabled_RecordsNothing()
    {
        await using var app = await StartAsync(("Personalization:Tracking:Local:Enabled", "false"));

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        await app.App.StopAsync();

        Assert.Empty(app.Services.GetRequiredService<LocalTrackingStore>().Snapshot());
    }

    private Task<TestApp> StartAsync(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Personalization:Local:File"] = _files.WriteSingle(("hero", new { Title = "Hello", CtaUrl = "/landing" })),
            ["Personalization:Tracking:FlushInterval"] = "00:00:00.020",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return TestApp.StartAsync(all, beforePersonalization: app => app.UseTestUser(), endpoints: app => app.MapGet("/click", async (HttpContext c) =>
        {
            var personalization = c.GetPersonalization();
            personalization.TrackClick((await personalization.GetExperienceAsync("hero"))!, "cta");
            return "ok";
        }));
    }
}
