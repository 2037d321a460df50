using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.AspNetCore.Debug;

/// <summary>
/// The debug page through the test server: Development only, ids masked, origins of this request's experiences, and
/// the visitor's events moving from queued to delivered (or dropped) as the dispatcher settles them.
/// </summary>
public sealed partial class PersonalizationDebugPageTests : IDisposable
{
    private const string DebugPage = "/_personalization/debug";
    private readonly ExperienceFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task DebugPage_InProduction_Answers404()
    {
        await using var app = await StartAsync(Environments.Production);

        using var response = await app.GetAsync(DebugPage, ("ssp_vid", "visitor-0123456789"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DebugPage_InDevelopment_MasksIdsAndNamesTheirSources()
    {
        const string visitor = "visitor-0123456789abcdef";
        const string customer = "customer-42-abcdefgh";
        await using var app = await StartAsync(Environments.Development);
        using var request = new HttpRequestMessage(HttpMethod.Get, DebugPage);
        request.Headers.Add("Cookie", "ssp_vid=" + visitor);
        request.Headers.Add("X-Customer-Id", customer);

        using var response = await app.Client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(visitor, html, StringComparison.Ordinal);
        Assert.DoesNotContain(customer, html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>customer id</th><td>cust…</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>visitor id</th><td>visi…</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>header</th><td>cust…</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>cookie ssp_vid</th><td>visi…</td></tr>", html, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task DebugPage_AttributesAndAskedKeys_AreHtmlEncoded()
    {
        await using var app = await StartAsync(Environments.Development);
        using var request = new HttpRequestMessage(HttpMethod.Get, DebugPage + "?keys=" + Uri.EscapeDataString("<b>x</b>,other"));
        request.Headers.Remove("User-Agent");
        request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 <script>alert(1)</script>");

        using var response = await app.Client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>x</b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Equal("provider", Origin(html, "other"));
    }

    [Fact]
    public async Task DebugPage_Experiences_ShowOriginProviderThenL1ThenL2AndAttribution()
    {
        var clock = new ObservedClock();
        var l2 = new FaultyL2Store();
        await using var app = await StartAsync(Environments.Development, services => services.AddSingleton<IL2Store>(l2), clock);
        var visitor = ("ssp_vid", "visitor-origins-1");

        var first = await app.GetPageAsync(DebugPage, visitor);
        var second = await app.GetPageAsync(DebugPage, visitor);
        Assert.True(await Eventually.TrueAsync(() => l2.Sets > 0), "The provider's answer was not written to L2.");
        clock.Advance(TimeSpan.FromSeconds(31));
        var third = await app.GetPageAsync(DebugPage, visitor);

        Assert.Equal("provider", Origin(first, "hero"));
        Assert.Equal("L1", Origin(second, "hero"));
        Assert.Equal("L2", Origin(third, "hero"));
        Assert.Matches("<tr data-key=\"hero\"><td>hero</td><td>L1</td><td>Local</td><td>a</td><td></td><td><code>\\{", second);
    }

    [Fact]
    public async Task DebugPage_WithPreview_ShowsOriginPreview()
    {
        await using var app = await StartAsync(Environments.Development);

        var html = await app.GetPageAsync(DebugPage + "?pz-preview=hero:b&keys=other", ("ssp_vid", "visitor-preview-1"));

        Assert.Equal("preview", Origin(html, "hero"));
        Assert.Contains("<td>Local</td><td>b</td>", html, StringComparison.Ordinal);
        Assert.Equal("provider", Origin(html, "other"));
        Assert.Contains("no (preview)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DebugPage_Event_GoesFromQueuedToDelivered()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = new RecordingDestination { Gate = gate };
        await using var app = await StartAsync(Environments.Development, services => services.AddSingleton<ITrackingDestination>(recorder));
        const string visitor = "visitor-events-1";

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", visitor));
        var impression = Assert.Single(recorder.AcceptedImpressions(visitor));
        var queued = await app.GetPageAsync(DebugPage, ("ssp_vid", visitor));
        gate.SetResult();
        var delivered = await Eventually.TrueAsync(async () =>
            Status(await app.GetPageAsync(DebugPage, ("ssp_vid", visitor)), impression.Id) == "delivered");

        Assert.Equal("queued", Status(queued, impression.Id));
        Assert.True(delivered, "The impression never showed as delivered.");
        Assert.Single(recorder.AllAccepted());
    }

    [Fact]
    public async Task DebugPage_EventRejected_ShowsDroppedWithReason()
    {
        var recorder = new RecordingDestination { Answer = _ => DeliveryResult.Rejected("HTTP 400") };
        await using var app = await StartAsync(Environments.Development, services => services.AddSingleton<ITrackingDestination>(recorder));
        const string visitor = "visitor-events-2";

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", visitor));
        var impression = Assert.Single(recorder.AcceptedImpressions(visitor));
        string? html = null;
        var dropped = await Eventually.TrueAsync(async () =>
            Status(html = await app.GetPageAsync(DebugPage, ("ssp_vid", visitor)), impression.Id) == "dropped");

        Assert.True(dropped, "The rejected impression never showed as dropped.");
        Assert.Contains("<td>rejected: HTTP 400</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DebugPage_OtherVisitorsEvents_AreNotShown()
    {
        // On a clock that does not move, the page waits for the provider however loaded the machine is (the Local
        // provider's budget is a timer), so the first page shows the experience and reports its impression.
        var recorder = new RecordingDestination();
        await using var app = await StartAsync(Environments.Development, services => services.AddSingleton<ITrackingDestination>(recorder), new ObservedClock());

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-events-3"));
        var html = await app.GetPageAsync(DebugPage, ("ssp_vid", "visitor-events-4"));

        var impression = Assert.Single(recorder.AcceptedImpressions("visitor-events-3"));
        Assert.Null(Status(html, impression.Id));
        Assert.Contains("<table id=\"events\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DebugPage_ItsOwnRequest_ReportsNothing()
    {
        var recorder = new RecordingDestination();
        await using var app = await StartAsync(Environments.Development, services => services.AddSingleton<ITrackingDestination>(recorder));

        var html = await app.GetPageAsync(DebugPage, ("ssp_vid", "visitor-events-5"));
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-events-5"));

        Assert.Equal("provider", Origin(html, "hero"));
        Assert.Equal("hero", Assert.Single(recorder.AllAccepted()).ExperienceKey);
    }

    private static string? Origin(string html, string key)
    {
        var match = Regex.Match(html, $"<tr data-key=\"{Regex.Escape(key)}\"><td>[^<]*</td><td>([^<]*)</td>");
        return match.Success ? match.Groups[1].Value : null;
    }

    private static string? Status(string html, Guid eventId)
    {
        var match = Regex.Match(html, $"<tr data-event=\"{eventId:D}\">.*?<td class=\"status\">([a-z]+)</td>");
        return match.Success ? match.Groups[1].Value : null;
    }

    private Task<TestApp> StartAsync(string environment, Action<IServiceCollection>? services = null, TimeProvider? time = null) => TestApp.StartAsync(
        new Dictionary<string, string?>
        {
            ["Personalization:Experiences:0"] = "hero",
            ["Personalization:Identity:CustomerIdHeader"] = "X-Customer-Id",
            ["Personalization:Tracking:FlushInterval"] = "00:00:00.020",
            ["Personalization:Local:File"] = _files.Write(JsonSerializer.Serialize(new
            {
                experiences = new object[]
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
                    new { key = "other", variations = new[] { new { id = "only", weight = 1, payload = new { Title = "Other", CtaUrl = "/" } } } },
                },
            })),
        },
        services,
        endpoints: app => app.MapPersonalizationDebug(),
        time: time,
        environment: environment);
}
