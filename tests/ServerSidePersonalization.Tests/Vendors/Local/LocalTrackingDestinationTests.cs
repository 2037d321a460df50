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

        return TestApp.StartAsync(all, endpoints: app => app.MapGet("/click", async (HttpContext c) =>
        {
            var personalization = c.GetPersonalization();
            personalization.TrackClick((await personalization.GetExperienceAsync("hero"))!, "cta");
            return "ok";
        }));
    }
}
