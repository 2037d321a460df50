using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.DynamicYield;
using ServerSidePersonalization.Tests.Vendors.MoEngage;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.Privacy;

/// <summary>
/// Consent, Global Privacy Control and bots, end to end: a page with a MoEngage hero and a Dynamic Yield widget, every
/// destination on (MoEngage events, Dynamic Yield engagements, a recording destination). Each zero is checked against a
/// browser's request to the same app that does produce the cookie, the call or the event.
/// </summary>
public sealed partial class RequestPrivacyTests : IAsyncLifetime
{
    private const string ConsentCookie = ".AspNet.Consent";
    private const string ExcludedVisitor = "excluded-visitor";
    private const string ExcludedDyid = "1111111111";
    private const string ControlVisitor = "control-visitor";
    private const string ControlDyid = "2222222222";

    private StubVendorServer _moEngage = null!;
    private StubVendorServer _dynamicYield = null!;

    public static TheoryData<string, string?, bool, bool> Excluded => new()
    {
        // case, user agent, consent given, Sec-GPC: 1
        { "consent", TestApp.BrowserUserAgent, false, false },
        { "gpc", TestApp.BrowserUserAgent, true, true },
        { "bot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", true, false },
        { "bot", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36", true, false },
        { "bot", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", true, false },
        { "bot", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", true, false },
        { "bot", "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", true, false },
        { "bot", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)", true, false },
        { "bot", "curl/8.5.0", true, false },
        { "bot", "python-requests/2.32.3", true, false },
        { "bot", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", true, false },
        { "bot", "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", true, false },
        { "bot", null, true, false },
    };

    public async Task InitializeAsync()
    {
        _moEngage = await StubVendorServer.StartAsync();
        _moEngage.Respond = MoEngageStub.Route(MoEngageStub.Answer());
        _dynamicYield = await StubVendorServer.StartAsync();
        var choose = DynamicYieldStub.Answer(
            [
                DynamicYieldStub.Recs("recs", new JsonObject { ["Title"] = "Recommended" }, DynamicYieldStub.Slot("slot-1", "sku-1", "First")),
                DynamicYieldStub.CustomJson("unrendered", new JsonObject { ["Title"] = "unused" }),
            ],
            DynamicYieldStub.NewVisitorCookies());
        _dynamicYield.Respond = request => request.Path == DynamicYieldStub.ChoosePath ? choose(request) : new StubResponse(204);
    }

    public async Task DisposeAsync()
    {
        await _moEngage.DisposeAsync();
        await _dynamicYield.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Excluded))]
    public async Task Page_ExcludedRequest_NoCookieNoEventAnywhereAndBotsNoVendorCall(string reason, string? userAgent, bool consent, bool gpc)
    {
        var recorder = new RecordingDestination();
        await using var app = await StartAsync(recorder);
        using var metrics = new MetricsCollector(app.Services);

        // A first visit (no cookie yet: a browser would be given ours and Dynamic Yield's) and a returning visitor's
        // (ids on the request: a browser would be reported to every destination).
        using var firstVisit = await SendAsync(app, "/Mixed/Widget", userAgent, consent, gpc);
        using var returning = await SendAsync(app, "/Mixed/Widget", userAgent, consent, gpc, ReturningCookies(ExcludedVisitor, ExcludedDyid));
        var firstPage = await firstVisit.Content.ReadAsStringAsync();
        var returningPage = await returning.Content.ReadAsStringAsync();
        var vendorCalls = _moEngage.Requests.Count + _dynamicYield.Requests.Count;

        Assert.Equal(HttpStatusCode.OK, firstVisit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, returning.StatusCode);
        Assert.False(firstVisit.Headers.Contains("Set-Cookie"), string.Join("; ", SetCookies(firstVisit)));
        Assert.False(returning.Headers.Contains("Set-Cookie"), string.Join("; ", SetCookies(returning)));
        Assert.Empty(recorder.AllAccepted());
        Assert.Equal(2, metrics.Sum(PersonalizationTelemetry.RequestsExcluded, ("reason", reason)));
        if (reason == "bot")
        {
            // Fallback content without asking any vendor.
            Assert.Contains("<h1>Fallback hero</h1>", returningPage, StringComparison.Ordinal);
            Assert.Contains("<h1>Fallback hero</h1>", firstPage, StringComparison.Ordinal);
            Assert.Equal(0, vendorCalls);
        }
        else
        {
            // Personalized from what the request carried.
            Assert.Contains("<h1>Title of hero</h1>", returningPage, StringComparison.Ordinal);
        }

        // The positive control: a browser, with consent, and the same two visits.
        using var controlFirst = await SendAsync(app, "/Mixed/Widget", TestApp.BrowserUserAgent, consent: true, gpc: false);
        using var control = await SendAsync(app, "/Mixed/Widget", TestApp.BrowserUserAgent, consent: true, gpc: false, ReturningCookies(ControlVisitor, ControlDyid));
        _ = await control.Content.ReadAsStringAsync();

        Assert.Contains(SetCookies(controlFirst), c => c.StartsWith("ssp_vid=", StringComparison.Ordinal));
        Assert.Contains(SetCookies(controlFirst), c => c.StartsWith("_dyid_server=", StringComparison.Ordinal));
        Assert.NotEmpty(recorder.AcceptedImpressions(ControlVisitor));
        Assert.True(await Eventually.TrueAsync(() => MoEngageStub.Actions(_moEngage).Any(a => a.CustomerId == ControlVisitor)));
        Assert.True(await Eventually.TrueAsync(() => Engagements().Any(e => e.Dyid == ControlDyid)));
        Assert.True(_moEngage.Requests.Count + _dynamicYield.Requests.Count > vendorCalls);

        // Events of the excluded requests were never queued, so nothing reached a vendor before the control's did.
        Assert.DoesNotContain(MoEngageStub.Actions(_moEngage), a => a.CustomerId == ExcludedVisitor);
        Assert.DoesNotContain(Engagements(), e => e.Dyid == ExcludedDyid);
        Assert.All(recorder.AllAccepted(), e => Assert.NotEqual(ExcludedVisitor, e.Identity.VisitorId));
    }

    [Fact]
    public async Task Page_GpcWithPersonalizeWithoutConsentOff_FallbackAndNoFetch()
    {
        var recorder = new RecordingDestination();
        await using var app = await StartAsync(recorder, ("Personalization:Privacy:PersonalizeWithoutConsent", "false"));

        using var excluded = await SendAsync(app, "/Mixed/Widget", TestApp.BrowserUserAgent, consent: true, gpc: true, ReturningCookies(ExcludedVisitor, ExcludedDyid));
        var excludedPage = await excluded.Content.ReadAsStringAsync();
        var callsWhileExcluded = _moEngage.Requests.Count + _dynamicYield.Requests.Count;
        using var control = await SendAsync(app, "/Mixed/Widget", TestApp.BrowserUserAgent, consent: true, gpc: false, ReturningCookies(ControlVisitor, ControlDyid));
        var controlPage = await control.Content.ReadAsStringAsync();

        Assert.Contains("<h1>Fallback hero</h1>", excludedPage, StringComparison.Ordinal);
        Assert.Equal(0, callsWhileExcluded);
        Assert.Contains("<h1>Title of hero</h1>", controlPage, StringComparison.Ordinal);
        Assert.Single(_moEngage.Requests, r => r.Path == "/v1/experiences/fetch");
    }

    [Fact]
    public async Task Page_ConsentWithheldWithPersonalizeWithoutConsentOff_FallbackAndNoFetch()
    {
        var recorder = new RecordingDestination();
        await using var app = await StartAsync(recorder, ("Personalization:Privacy:PersonalizeWithoutConsent", "false"));

        using var excluded = await SendAsync(app, "/Mixed/Widget", TestApp.BrowserUserAgent, consent: false, gpc: false, ReturningCookies(ExcludedVisitor, ExcludedDyid));
        var excludedPage = await excluded.Content.ReadAsStringAsync();

        Assert.Contains("<h1>Fallback hero</h1>", excludedPage, StringComparison.Ordinal);
        Assert.Empty(_moEngage.Requests);
        Assert.Empty(_dynamicYield.Requests);
    }

    [Fact]
    public async Task Page_GpcNotHonoured_CookieAndEventsAsForAnyBrowser()
    {
        var recorder = new RecordingDestination();
        await using var app = await StartAsync(recorder, ("Personalization:Privacy:HonorGlobalPrivacyControl", "false"));
        using var metrics = new MetricsCollector(app.Services);

        using var firstVisit = await SendAsync(app, "/Mixed/Widget", TestApp.BrowserUserAgent, consent: true, gpc: true);
        using var returning = await SendAsync(app, "/Mixed/Widget", TestApp.BrowserUserAgent, consent: true, gpc: true, ReturningCookies(ExcludedVisitor, ExcludedDyid));
        _ = await returning.Content.ReadAsStringAsync();

        Assert.Contains(SetCookies(firstVisit), c => c.StartsWith("ssp_vid=", StringComparison.Ordinal));
        Assert.NotEmpty(recorder.AcceptedImpressions(ExcludedVisitor));
        Assert.True(await Eventually.TrueAsync(() => MoEngageStub.Actions(_moEngage).Any(a => a.CustomerId == ExcludedVisitor)));
        Assert.True(await Eventually.TrueAsync(() => Engagements().Any(e => e.Dyid == ExcludedDyid)));
        Assert.Equal(0, metrics.Sum(PersonalizationTelemetry.RequestsExcluded));
    }

    [Fact]
    public async Task Page_ExcludedRequests_CountedByReason()
    {
        await using var app = await StartAsync(new RecordingDestination());
        using var metrics = new MetricsCollector(app.Services);

        (await SendAsync(app, "/Mixed/Widget", "Twitterbot/1.0", consent: true, gpc: false)).Dispose();
        (await SendAsync(app, "/Mixed/Widget", null, consent: true, gpc: false)).Dispose();
        (await SendAsync(app, "/Mixed/Widget", TestApp.BrowserUserAgent, consent: false, gpc: true)).Dispose();
        (await SendAsync(app, "/Mixed/Widget", TestApp.BrowserUserAgent, consent: true, gpc: true)).Dispose();
        (await SendAsync(app, "/Mixed/Widget", TestApp.BrowserUserAgent, consent: true, gpc: false)).Dispose();

        Assert.Equal(2, metrics.Sum(PersonalizationTelemetry.RequestsExcluded, ("reason", "bot")));
        Assert.Equal(1, metrics.Sum(PersonalizationTelemetry.RequestsExcluded, ("reason", "consent")));
        Assert.Equal(1, metrics.Sum(PersonalizationTelemetry.RequestsExcluded, ("reason", "gpc")));
        Assert.Equal(4, metrics.Sum(PersonalizationTelemetry.RequestsExcluded));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task TrackedLink_FollowedByALinkScanner_AnsweredButNoClick(string method)
    {
        var recorder = new RecordingDestination();
        await using var app = await StartAsync(recorder);
        (string, string)[] cookies = [("ssp_vid", ControlVisitor), (ConsentCookie, "yes")];
        var page = await app.GetPageAsync("/Tags/Click", cookies);
        var href = WebUtility.HtmlDecode(CtaLink().Match(page).Groups[1].Value);

        using var scanned = await SendAsync(app, href, "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", consent: true, gpc: false, [("ssp_vid", ControlVisitor)], method);
        var clicksAfterScan = recorder.AllAcceptedClicks().Count;
        using var clicked = await SendAsync(app, href, TestApp.BrowserUserAgent, consent: true, gpc: false, [("ssp_vid", ControlVisitor)], method);

        var expected = method == "GET" ? HttpStatusCode.Found : HttpStatusCode.NoContent;
        Assert.Equal(expected, scanned.StatusCode);
        Assert.Equal(expected, clicked.StatusCode);
        if (method == "GET")
        {
            Assert.Equal("/landing/hero", scanned.Headers.Location?.OriginalString);
        }

        Assert.Equal(0, clicksAfterScan);
        Assert.Single(recorder.AcceptedClicks(ControlVisitor));
    }

    [Fact]
    public async Task DynamicYield_GpcVisitorWithoutDynamicYieldIds_NeverSentTheIdsAFormerAnswerCreated()
    {
        await using var stub = await StubVendorServer.StartAsync();
        stub.Respond = DynamicYieldStub.Answer(
            [DynamicYieldStub.CustomJson("hero", new JsonObject { ["Title"] = "DY hero", ["CtaUrl"] = "/dy" })], DynamicYieldStub.NewVisitorCookies());
        // No L1: every page view asks Dynamic Yield, so the second one shows which ids it is sent.
        await using var app = await TestApp.StartAsync(DynamicYieldStub.Settings(stub, ("Personalization:Cache:MemoryTtl", "00:00:00")));

        // Without the signal the second page view reuses the ids the first answer created (the positive control); with it,
        // each call carries only what its request did: no Dynamic Yield id at all, and no cookie is set.
        using var gpcFirst = await SendAsync(app, "/Tags/Hero", TestApp.BrowserUserAgent, consent: true, gpc: true, [("ssp_vid", ExcludedVisitor)]);
        using var gpcSecond = await SendAsync(app, "/Tags/Hero", TestApp.BrowserUserAgent, consent: true, gpc: true, [("ssp_vid", ExcludedVisitor)]);
        (await SendAsync(app, "/Tags/Hero", TestApp.BrowserUserAgent, consent: true, gpc: false, [("ssp_vid", ControlVisitor)])).Dispose();
        (await SendAsync(app, "/Tags/Hero", TestApp.BrowserUserAgent, consent: true, gpc: false, [("ssp_vid", ControlVisitor)])).Dispose();

        var chooses = DynamicYieldStub.Chooses(stub);
        Assert.Equal(4, chooses.Count);
        Assert.Contains("DY hero", await gpcSecond.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(gpcFirst.Headers.Contains("Set-Cookie"));
        Assert.False(gpcSecond.Headers.Contains("Set-Cookie"));
        Assert.All(chooses.Take(2), c => Assert.Null(DynamicYieldStub.Json(c)["user"]?["dyid"]));
        Assert.Equal("123", (string?)DynamicYieldStub.Json(chooses[3])["user"]?["dyid"]);
    }

    private Task<TestApp> StartAsync(RecordingDestination recorder, params (string Key, string? Value)[] extra) => TestApp.StartAsync(
        MoEngageStub.Settings(
            _moEngage,
            [
                ("Personalization:Tracking:MoEngage:Enabled", "true"),
                ("Personalization:Tracking:DynamicYield:Enabled", "true"),
                ("Personalization:Tracking:FlushInterval", "00:00:00.050"),
                ("Personalization:DynamicYield:Selectors:0", "recs"),
                ("Personalization:DynamicYield:Selectors:1", "unrendered"),
                ("Personalization:DynamicYield:ApiKey", "dy-key"),
                ("Personalization:DynamicYield:BaseUrl", _dynamicYield.Url.ToString()),
                ("Personalization:DynamicYield:Timeout", "00:00:05"),
                ("Personalization:DynamicYield:HttpTimeout", "00:00:05"),
                .. extra,
            ]),
        services =>
        {
            services.AddSingleton<ITrackingDestination>(recorder);

            // ASP.NET's own consent: needed for everyone, given by its cookie.
            services.Configure<CookiePolicyOptions>(options => options.CheckConsentNeeded = _ => true);
        },
        beforePersonalization: app => app.UseCookiePolicy());

    private static (string, string)[] ReturningCookies(string visitor, string dyid) =>
        [("ssp_vid", visitor), ("_dyid", dyid), ("_dyid_server", dyid), ("_dyjsession", "session-" + visitor)];

    /// <summary>Sends with exactly the given User-Agent (none when null), unlike the app's client, which always sends a browser's.</summary>
    private static async Task<HttpResponseMessage> SendAsync(
        TestApp app, string path, string? userAgent, bool consent, bool gpc, (string Name, string Value)[]? cookies = null, string method = "GET")
    {
        using var client = app.Server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        if (gpc)
        {
            request.Headers.Add("Sec-GPC", "1");
        }

        var all = (cookies ?? []).Concat(consent ? [(ConsentCookie, "yes")] : []).ToList();
        if (all.Count > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", all.Select(c => $"{c.Item1}={c.Item2}")));
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];

    private List<(string? Dyid, string? Type)> Engagements() =>
        [.. _dynamicYield.Requests
            .Where(r => r.Path == "/v2/collect/user/engagement")
            .Select(r => (Dyid: r.Json.GetProperty("user").TryGetProperty("dyid", out var dyid) ? dyid.GetString() : null, r.Json))
            .SelectMany(r => r.Json.GetProperty("engagements").EnumerateArray().Select(e => (r.Dyid, e.GetProperty("type").GetString())))];

    [GeneratedRegex("<a id=\"cta\" href=\"([^\"]+)\"")]
    private static partial Regex CtaLink();
}
