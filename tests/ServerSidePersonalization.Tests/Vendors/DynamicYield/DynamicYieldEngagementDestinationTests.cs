using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.Vendors.DynamicYield;

/// <summary>
/// Engagement reported to Dynamic Yield's engagement API end to end: a real app records impressions and clicks through
/// the feature, the tag helpers and the click endpoint, the real tracking pipeline and dispatcher deliver them with the
/// real HTTP client to a stub Dynamic Yield on loopback Kestrel, and the tests read what arrived there.
/// </summary>
public sealed class DynamicYieldEngagementDestinationTests : IAsyncLifetime, IDisposable
{
    private const string ApiKey = "dy-k3y-that-must-never-be-logged";
    private const string EngagementPath = "/v2/collect/user/engagement";
    private const string DyidCookie = "1679843014604301";
    private const string DyidServerCookie = "1679843014604302";
    private const string SessionCookie = "a2719b4d6c470383f1bf3";
    private const string WebUser = $$"""{"user":{"dyid":"{{DyidCookie}}","dyid_server":"{{DyidServerCookie}}"},"session":{"dy":"{{SessionCookie}}"}""";
    private const string HeroClick = """{"type":"CLICK","decisionId":"aGVsbG8KhAc","variations":[501]}""";
    private const string ChoiceProvider = "DyChoice";
    private const string ApiOnly = "ApiOnly";
    private const string SessionCookieName = "ssp_dysid";
    private const string CustomerHeader = "X-Customer-Id";

    private static readonly (string Name, string Value)[] WebModeCookies =
        [("_dyid", DyidCookie), ("_dyid_server", DyidServerCookie), ("_dyjsession", SessionCookie)];

    private static readonly Experience DecisionExperience = DynamicYieldExperience("hero", "aGVsbG8KhAc", "501");
    private static readonly Experience RecommendationExperience = DynamicYieldExperience("recs", "cmVjcy1kZWNpc2lvbg", "601");

    private static readonly Experience UndecidedExperience = new(
        "undecided",
        new Dictionary<string, ExperienceValue>(),
        new ExperienceAttribution("DynamicYield", JsonSerializer.SerializeToElement(new { campaign = "undecided" }), "503", decisionId: null));

    // Both carry a decisionId and a numeric variation, so only their vendor keeps them away from Dynamic Yield.
    private static readonly Experience MoEngageExperience = new(
        "banner",
        new Dictionary<string, ExperienceValue>(),
        new ExperienceAttribution("MoEngage", JsonSerializer.SerializeToElement(new { cid = "c-1" }), "2", "bW9lbmdhZ2U"));

    private static readonly Experience LocalExperience = new(
        "promo",
        new Dictionary<string, ExperienceValue>(),
        new ExperienceAttribution("Local", JsonSerializer.SerializeToElement(new { variation = "only" }), "7", "bG9jYWw"));

    private readonly RecordingDestination _probe = new();
    private StubVendorServer _stub = null!;
    private MetricsCollector? _metrics;

    public async Task InitializeAsync()
    {
        _stub = await StubVendorServer.StartAsync();
        _stub.Respond = _ => new StubResponse(204);
    }

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    public void Dispose() => _metrics?.Dispose();

    [Fact]
    public async Task SlotClick_WebMode_SendsTheDocumentedRequest()
    {
        await using var app = await StartAppAsync();

        await app.GetAsync("/click-slot", WebModeCookies);

        var sent = await SingleDeliveredAsync();
        Assert.Equal("POST", sent.Method);
        Assert.Equal(EngagementPath, sent.Path);
        Assert.Equal(ApiKey, sent.Header("DY-API-Key"));
        Assert.Equal("application/json", sent.Header("Content-Type"));
        Assert.Equal(WebUser + ""","engagements":[{"type":"SLOT_CLICK","slotId":"slot-1"}]}""", sent.Text);
    }

    [Fact]
    public async Task Click_WebMode_SendsClickWithTheDecisionIdAndTheVariationShown()
    {
        await using var app = await StartAppAsync();

        await app.GetAsync("/click", WebModeCookies);

        var sent = await SingleDeliveredAsync();
        Assert.Equal(EngagementPath, sent.Path);
        Assert.Equal(ApiKey, sent.Header("DY-API-Key"));
        Assert.Equal(WebUser + $$""","engagements":[{{HeroClick}}]}""", sent.Text);
    }

    [Theory]
    [InlineData("501,502", ""","variations":[501,502]""")]
    [InlineData("var-1", "")]
    public async Task Click_VariationIds_SentAsNumbersOrLeftOut(string variationId, string expected)
    {
        await using var app = await StartAppAsync();

        await app.GetAsync("/click-variation?v=" + Uri.EscapeDataString(variationId), WebModeCookies);

        var sent = await SingleDeliveredAsync();
        Assert.Equal(WebUser + $$""","engagements":[{"type":"CLICK","decisionId":"dmFyaWF0aW9u"{{expected}}}]}""", sent.Text);
    }

    [Theory]
    [InlineData("_dyid_server")]
    [InlineData("_dyid")]
    public async Task Click_OnlyOneDynamicYieldUserCookie_SendsItAsBothIds(string cookie)
    {
        await using var app = await StartAppAsync();

        await app.GetAsync("/click", (cookie, "16798430146043"));

        var sent = await SingleDeliveredAsync();
        Assert.Equal(
            $$"""{"user":{"dyid":"16798430146043","dyid_server":"16798430146043"},"engagements":[{{HeroClick}}]}""",
            sent.Text);
    }

    [Fact]
    public async Task Impression_RenderedDynamicYieldExperience_SendsOneImpAndNoneForTheOneOnlyFetched()
    {
        await using var app = await StartAppAsync(provider: new ChoiceStub(
            DynamicYieldExperience("shown", "c2hvd24", "501", title: "Shown"),
            DynamicYieldExperience("hidden", "aGlkZGVu", "502", title: "Hidden")));

        // The page fetches both, renders "shown" twice and "hidden" never.
        var page = await app.GetPageAsync("/Tags/Rendered", WebModeCookies);
        Assert.Contains("<p id=\"hidden-fetched\">True</p>", page, StringComparison.Ordinal);
        Assert.Contains("<p id=\"rendered\">shown</p>", page, StringComparison.Ordinal);

        // The queue is in order: anything the page reported reaches the stub before this click.
        await app.GetAsync("/click", WebModeCookies);

        var sent = await DeliveredAsync(2);
        Assert.Equal(
            new[]
            {
                WebUser + ""","engagements":[{"type":"IMP","decisionId":"c2hvd24","variations":[501]}]}""",
                WebUser + $$""","engagements":[{{HeroClick}}]}""",
            },
            sent.Select(r => r.Text));
    }

    [Fact]
    public async Task Impression_TrackedByCode_SendsImpWithTheDecisionIdAndVariation()
    {
        await using var app = await StartAppAsync();

        await app.GetAsync("/impression", WebModeCookies);

        var sent = await SingleDeliveredAsync();
        Assert.Equal(EngagementPath, sent.Path);
        Assert.Equal(WebUser + ""","engagements":[{"type":"IMP","decisionId":"aGVsbG8KhAc","variations":[501]}]}""", sent.Text);
    }

    [Fact]
    public async Task Impression_FetchedButNotRendered_NoneSent()
    {
        await using var app = await StartAppAsync(provider: new ChoiceStub(DynamicYieldExperience("hidden", "aGlkZGVu", "502")));

        using var fetched = await app.GetAsync("/fetch-only", WebModeCookies);
        Assert.Equal("true", await fetched.Content.ReadAsStringAsync());
        await app.GetAsync("/click", WebModeCookies);

        var sent = await SingleDeliveredAsync();
        Assert.Equal(WebUser + $$""","engagements":[{{HeroClick}}]}""", sent.Text);
    }

    [Fact]
    public async Task Impression_ImplicitImpressionMode_NoImpSent()
    {
        await using var app = await StartAppAsync(
            new ChoiceStub(DynamicYieldExperience("shown", "c2hvd24", "501", title: "Shown"), DynamicYieldExperience("hidden", "aGlkZGVu", "502")),
            ("Personalization:DynamicYield:ImpressionMode", "Implicit"));

        var page = await app.GetPageAsync("/Tags/Rendered", WebModeCookies);
        Assert.Contains("<p id=\"rendered\">shown</p>", page, StringComparison.Ordinal);
        await app.GetAsync("/impression", WebModeCookies);
        Assert.True(await Eventually.TrueAsync(() => _probe.Delivered.Count(e => e.Kind == TrackingEventKind.Impression) == 2));
        await app.GetAsync("/click", WebModeCookies);

        var sent = await SingleDeliveredAsync();
        Assert.Equal(WebUser + $$""","engagements":[{{HeroClick}}]}""", sent.Text);
    }

    [Fact]
    public async Task Click_OtherVendorsExperiences_NothingSentToDynamicYield()
    {
        await using var app = await StartAppAsync();

        await app.GetAsync("/click-moengage-slot", WebModeCookies);
        await app.GetAsync("/click-moengage", WebModeCookies);
        await app.GetAsync("/click-local", WebModeCookies);
        await app.GetAsync("/click-local-slot", WebModeCookies);

        // The probe sees every event right after the pipeline offered it to Dynamic Yield's queue, which is in order:
        // had any been taken, it would have been sent before this click.
        Assert.True(await Eventually.TrueAsync(() => _probe.Delivered.Count == 4));
        await app.GetAsync("/click", WebModeCookies);
        var sent = await SingleDeliveredAsync();
        Assert.Equal(WebUser + $$""","engagements":[{{HeroClick}}]}""", sent.Text);
        Assert.Equal(0, Skipped());
    }

    [Fact]
    public async Task Click_DynamicYieldExperienceWithoutDecisionId_NothingSent()
    {
        await using var app = await StartAppAsync();

        await app.GetAsync("/click-undecided", WebModeCookies);
        await app.GetAsync("/click-undecided-slot", WebModeCookies);
        await app.GetAsync("/impression-undecided", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => _probe.Delivered.Count == 3));
        await app.GetAsync("/click", WebModeCookies);
        var sent = await SingleDeliveredAsync();
        Assert.Equal(WebUser + $$""","engagements":[{{HeroClick}}]}""", sent.Text);
    }

    [Fact]
    public async Task Engagement_WebModeVisitorWithoutDynamicYieldCookies_SkippedAndCountedAsNoDyid()
    {
        await using var app = await StartAppAsync();

        await app.GetAsync("/click", ("ssp_vid", "visitor-7"));
        await app.GetAsync("/click-slot", ("ssp_vid", "visitor-7"));
        await app.GetAsync("/impression", ("ssp_vid", "visitor-7"));

        Assert.True(await Eventually.TrueAsync(() => Skipped("no_dyid") == 3), $"Skipped as no_dyid: {Skipped("no_dyid")}.");
        await app.GetAsync("/click", WebModeCookies);
        var sent = await SingleDeliveredAsync();
        Assert.Equal(WebUser + $$""","engagements":[{{HeroClick}}]}""", sent.Text);
        Assert.Equal(3, Skipped());
        Assert.Equal(0, _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", "DynamicYield"), ("outcome", "dropped")));
    }

    [Fact]
    public async Task Engagement_ApiOnlyVisitorWithoutVisitorId_SkippedAndCountedAsNoVisitorId()
    {
        await using var app = await StartAppAsync(("Personalization:DynamicYield:Mode", ApiOnly), ("Personalization:Identity:IssueVisitorCookie", "false"));

        // Dynamic Yield's own cookies are not the site's visitor id.
        await app.GetAsync("/click", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => Skipped("no_visitor_id") == 1));
        await app.GetAsync("/click", ("ssp_vid", "visitor-7"));
        var sent = await SingleDeliveredAsync();
        Assert.StartsWith("""{"user":{"id":"visitor-7"},""", sent.Text, StringComparison.Ordinal);
        Assert.Equal(1, Skipped());
    }

    [Theory]
    [InlineData("claim")]
    [InlineData("header")]
    public async Task Engagement_ApiOnlyVisitorSignsIn_KeepsTheVisitorCookieAsUserIdAndTheSession(string signIn)
    {
        await using var app = await StartAppAsync(("Personalization:DynamicYield:Mode", ApiOnly), ("Personalization:Identity:CustomerIdHeader", CustomerHeader));
        var browser = new Browser(app);

        // A new visitor: the site issues its visitor cookie and the module its session cookie on the first request.
        await browser.GetAsync("/click");
        var visitor = browser.Cookie("ssp_vid");
        var session = SessionIdOf(browser.Cookie(SessionCookieName));
        var anonymous = await SingleDeliveredAsync();

        var customer = signIn == "claim" ? (TestUser.HeaderPrefix + "nameid", "customer-42") : (CustomerHeader, "customer-42");
        var identity = await browser.GetIdentityAsync(customer);
        Assert.Equal("customer-42", identity.CustomerId);
        await browser.GetAsync("/click", customer);
        var signedIn = (await DeliveredAsync(2))[1];

        Assert.Matches("^[0-9a-f]{32}$", session);
        Assert.Equal($$"""{"user":{"id":"{{visitor}}"},"session":{"custom":"{{session}}"},"engagements":[{{HeroClick}}]}""", anonymous.Text);
        Assert.Equal(anonymous.Text, signedIn.Text);
        Assert.Equal(visitor, browser.Cookie("ssp_vid"));
        Assert.Equal(session, SessionIdOf(browser.Cookie(SessionCookieName)));
    }

    [Fact]
    public async Task Engagement_ApiOnlyVisitorWithDynamicYieldCookiesOnly_GetsTheSitesVisitorIdAndIsReported()
    {
        // Left over from Web mode (or Dynamic Yield's script): in API-only mode they are no id of the site's.
        await using var app = await StartAppAsync(("Personalization:DynamicYield:Mode", ApiOnly));
        var browser = new Browser(app, WebModeCookies);

        await browser.GetAsync("/click");

        var visitor = browser.Cookie("ssp_vid");
        Assert.Matches("^[0-9a-f]{32}$", visitor);
        var sent = await SingleDeliveredAsync();
        Assert.Equal(
            $$"""{"user":{"id":"{{visitor}}"},"session":{"custom":"{{SessionIdOf(browser.Cookie(SessionCookieName))}}"},"engagements":[{{HeroClick}}]}""",
            sent.Text);
        Assert.Equal(0, Skipped());
    }

    [Fact]
    public async Task Engagement_ApiOnlyIdleLongerThanTheTimeout_GetsANewSession()
    {
        var clock = new ObservedClock();
        await using var app = await StartAppAsync(clock, ("Personalization:DynamicYield:Mode", ApiOnly), Unbatched);
        var browser = new Browser(app, ("ssp_vid", "visitor-7"));

        await browser.GetAsync("/click");
        var first = SessionIdOf(browser.Cookie(SessionCookieName));
        Assert.Equal(first, SessionCustom((await DeliveredAsync(1))[0]));

        // Within the idle timeout: the same session, its cookie rewritten with the time of this request.
        clock.Advance(TimeSpan.FromMinutes(10));
        var before = clock.GetUtcNow().ToUnixTimeSeconds();
        using (var response = await browser.GetAsync("/click"))
        {
            var after = clock.GetUtcNow().ToUnixTimeSeconds();
            var rewritten = Assert.Single(Browser.SetCookies(response), c => c.Name == SessionCookieName).Value;
            Assert.Equal(first, SessionIdOf(rewritten));
            Assert.InRange(long.Parse(rewritten[(rewritten.IndexOf('.', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture), before, after);
        }

        Assert.Equal(first, SessionCustom((await DeliveredAsync(2))[1]));

        // 31 minutes without a request: the next one starts a new session.
        clock.Advance(TimeSpan.FromMinutes(31));
        using (var response = await browser.GetAsync("/click"))
        {
            Assert.Single(Browser.SetCookies(response), c => c.Name == SessionCookieName);
        }

        var second = SessionIdOf(browser.Cookie(SessionCookieName));
        Assert.Matches("^[0-9a-f]{32}$", second);
        Assert.NotEqual(first, second);
        var third = (await DeliveredAsync(3))[2];
        Assert.Equal(second, SessionCustom(third));
        Assert.Equal("visitor-7", third.Json.GetProperty("user").GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("zz.abc")]
    [InlineData("zz.{now}")]
    [InlineData("ABC123.{now}")]
    [InlineData("abc123")]
    [InlineData(".{now}")]
    [InlineData("abc123.")]
    [InlineData("abc123.+{now}")]
    [InlineData("abc123.99999999999999999999")]
    [InlineData("abc123.{tomorrow}")]
    [InlineData("{10 KB}.{now}")]
    public async Task Engagement_ApiOnlyTamperedSessionCookie_FreshSessionAndNoError(string tampered)
    {
        // Every value but its flaw would be a live session: ids in hex, times of this very moment.
        var clock = new ObservedClock();
        await using var app = await StartAppAsync(clock, ("Personalization:DynamicYield:Mode", ApiOnly), Unbatched);
        var value = tampered
            .Replace("{now}", clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{tomorrow}", clock.GetUtcNow().AddDays(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{10 KB}", new string('f', 10 * 1024), StringComparison.Ordinal);

        using var response = await app.GetAsync("/click", ("ssp_vid", "visitor-7"), (SessionCookieName, value));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var issued = SessionIdOf(Assert.Single(Browser.SetCookies(response), c => c.Name == SessionCookieName).Value);
        Assert.Matches("^[0-9a-f]{32}$", issued);
        var sent = await SingleDeliveredAsync();
        Assert.Equal($$"""{"user":{"id":"visitor-7"},"session":{"custom":"{{issued}}"},"engagements":[{{HeroClick}}]}""", sent.Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public async Task Click_DestinationNotEnabled_NotSent(string? enabled)
    {
        await using var app = await StartAppAsync(("Personalization:Tracking:DynamicYield:Enabled", enabled));

        await app.GetAsync("/click-slot", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => !_probe.Delivered.IsEmpty));
        Assert.DoesNotContain(app.Services.GetRequiredService<TrackingPipeline>().Queues, q => q.Destination.Name == "DynamicYield");
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Click_ServerErrorTwiceThen204_DeliveredOnceWithTheSameBody()
    {
        var answers = 0;
        _stub.Respond = _ => Interlocked.Increment(ref answers) <= 2 ? StubResponse.Json("""{"error":"oops"}""", 500) : new StubResponse(204);
        await using var app = await StartAppAsync();

        await app.GetAsync("/click-slot", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => Delivered() == 1));
        var requests = _stub.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.All(requests, r => Assert.Equal(requests[0].Text, r.Text));
        Assert.All(requests, r => Assert.Equal(ApiKey, r.Header("DY-API-Key")));
        Assert.Equal(0, _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", "DynamicYield"), ("outcome", "dropped")));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Click_TransientStatus_Retried(int status)
    {
        var answers = 0;
        _stub.Respond = _ => Interlocked.Increment(ref answers) == 1 ? new StubResponse(status) : new StubResponse(204);
        await using var app = await StartAppAsync();

        await app.GetAsync("/click", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => Delivered() == 1));
        Assert.Equal(2, _stub.Requests.Count);
    }

    [Theory]
    [InlineData("delta", 1)]
    [InlineData("date", 2)]
    public async Task Click_RetryAfter_NextAttemptWaitsAsAsked(string form, int seconds)
    {
        // The clock is on a whole second, so an HTTP date (whole seconds) two seconds ahead is exactly two seconds away.
        var clock = new ObservedClock();
        _stub.Respond = _ => _stub.Requests.Count > 1
            ? new StubResponse(204)
            : new StubResponse(429, Headers: new Dictionary<string, string>
            {
                ["Retry-After"] = form == "delta" ? "1" : clock.GetUtcNow().AddSeconds(2).ToString("r", CultureInfo.InvariantCulture),
            });
        await using var app = await StartAppAsync(clock, Unbatched);

        await app.GetAsync("/click", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => clock.HasTimer(TimeSpan.FromSeconds(seconds))), "No retry was scheduled at the Retry-After.");
        Assert.Single(_stub.Requests);
        clock.Advance(TimeSpan.FromSeconds(seconds));
        Assert.True(await Eventually.TrueAsync(() => Delivered() == 1));
        Assert.Equal(2, _stub.Requests.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(405)]
    [InlineData(422)]
    [InlineData(451)]
    [InlineData(302)]
    public async Task Click_PermanentStatus_DroppedAfterOneRequest(int status)
    {
        // The Location would lead a client that follows redirects back to the stub for a second (GET) request.
        _stub.Respond = _ => new StubResponse(
            status, """{"error":"nope"}""", Headers: new Dictionary<string, string> { ["Location"] = new Uri(_stub.Url, "/moved").ToString() });
        await using var app = await StartAppAsync();

        await app.GetAsync("/click-slot", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => Dropped(TrackingDropReason.Rejected) == 1));
        var sent = Assert.Single(_stub.Requests);
        Assert.Equal(EngagementPath, sent.Path);
        Assert.Equal(0, Delivered());
        var rejected = Assert.Single(app.Logs.Named("TrackingBatchRejected"));
        Assert.Contains($"HTTP {status}", rejected.Message, StringComparison.Ordinal);
        if (status is 451)
        {
            Assert.Contains("Personalization:DynamicYield:ApiKey", rejected.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("ApiKey", rejected.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(ApiKey, app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Click_SuccessWithMalformedBody_Delivered()
    {
        _stub.Respond = _ => StubResponse.Json("""{"truncated": [""");
        await using var app = await StartAppAsync();

        await app.GetAsync("/click", WebModeCookies);

        Assert.True(await Eventually.TrueAsync(() => Delivered() == 1));
        Assert.Single(_stub.Requests);
        Assert.Equal(0, _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", "DynamicYield"), ("outcome", "dropped")));
    }

    [Fact]
    public async Task Start_EnabledWithoutApiKey_FailsNamingTheKey()
    {
        var settings = Settings(_stub);
        settings.Remove("Personalization:DynamicYield:ApiKey");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(settings));

        Assert.Equal(
            "Personalization:DynamicYield:ApiKey is required when Personalization:Tracking:DynamicYield:Enabled is true.",
            Assert.Single(error.Failures));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://dy-api.example")]
    [InlineData("/v2")]
    public async Task Start_BadBaseUrl_FailsNamingTheKey(string baseUrl)
    {
        var settings = Settings(_stub);
        settings["Personalization:DynamicYield:BaseUrl"] = baseUrl;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(settings));

        Assert.Equal("Personalization:DynamicYield:BaseUrl must be an absolute http or https URL.", Assert.Single(error.Failures));
    }

    [Fact]
    public async Task SlotClick_ThroughARenderedSlotLink_RedirectsAndSendsTheImpressionThenOneSlotClick()
    {
        await using var app = await StartAppAsync(
            new ChoiceStub(DynamicYieldExperience("hero", "aGVsbG8KhAc", "501", title: "Recommended", ctaUrl: "/landing")),
            ("Personalization:Clicks:AllowedHosts:0", "shop.example"));
        var page = await app.GetPageAsync("/Tags/Click", WebModeCookies);

        using var click = await app.GetAsync(Html.Href(page, "external")!, WebModeCookies);

        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal("https://shop.example/x", click.Headers.Location?.OriginalString);
        // The page rendered the choice (one IMP), then the visitor clicked an item of it.
        var sent = await DeliveredAsync(2);
        Assert.All(sent, r => Assert.Equal(EngagementPath, r.Path));
        Assert.Equal(
            new[]
            {
                WebUser + ""","engagements":[{"type":"IMP","decisionId":"aGVsbG8KhAc","variations":[501]}]}""",
                WebUser + ""","engagements":[{"type":"SLOT_CLICK","slotId":"slot-1"}]}""",
            },
            sent.Select(r => r.Text));
    }

    [Fact]
    public async Task Click_ThroughARenderedLink_SendsTheImpressionThenAClickWithTheChoicesDecisionAndVariation()
    {
        await using var app = await StartAppAsync(
            new ChoiceStub(DynamicYieldExperience("hero", "cmVuZGVyZWQ", "777", title: "Recommended", ctaUrl: "/landing")));
        var page = await app.GetPageAsync("/Tags/Click", WebModeCookies);

        using var click = await app.GetAsync(Html.Href(page, "cta")!, WebModeCookies);

        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal("/landing", click.Headers.Location?.OriginalString);
        var sent = await DeliveredAsync(2);
        Assert.Equal(
            new[]
            {
                WebUser + ""","engagements":[{"type":"IMP","decisionId":"cmVuZGVyZWQ","variations":[777]}]}""",
                WebUser + ""","engagements":[{"type":"CLICK","decisionId":"cmVuZGVyZWQ","variations":[777]}]}""",
            },
            sent.Select(r => r.Text));
    }

    [Fact]
    public async Task Start_BaseUrlWithPath_PostsBelowIt()
    {
        var settings = Settings(_stub);
        settings["Personalization:DynamicYield:BaseUrl"] = new Uri(_stub.Url, "/proxy/dy").ToString();
        await using var app = Record(await TestApp.StartAsync(settings, endpoints: MapEndpoints));

        await app.GetAsync("/click", WebModeCookies);

        var sent = await SingleDeliveredAsync();
        Assert.Equal("/proxy/dy" + EngagementPath, sent.Path);
    }

    private static Experience DynamicYieldExperience(string key, string decisionId, string variationId, string? title = null, string? ctaUrl = null)
    {
        var payload = new Dictionary<string, ExperienceValue>();
        if (title is not null)
        {
            payload["Title"] = new ExperienceValue(JsonSerializer.SerializeToElement(title), ExperienceDataType.String);
        }

        if (ctaUrl is not null)
        {
            payload["CtaUrl"] = new ExperienceValue(JsonSerializer.SerializeToElement(ctaUrl), ExperienceDataType.String);
        }

        return new Experience(
            key,
            payload,
            new ExperienceAttribution("DynamicYield", JsonSerializer.SerializeToElement(new { campaign = key }), variationId, decisionId));
    }

    /// <summary>The id part of an <c>ssp_dysid</c> value (<c>{id}.{unix seconds}</c>).</summary>
    private static string SessionIdOf(string cookie)
    {
        var dot = cookie.LastIndexOf('.');
        Assert.True(dot > 0, $"'{cookie}' is not an id and a time.");
        return cookie[..dot];
    }

    /// <summary>Each event is sent as soon as it is queued, so a test on a fake clock need not move it past the flush interval.</summary>
    private static readonly (string Key, string? Value) Unbatched = ("Personalization:Tracking:BatchSize", "1");

    private static string? SessionCustom(RecordedRequest request) => request.Json.GetProperty("session").GetProperty("custom").GetString();

    private static Dictionary<string, string?> Settings(StubVendorServer stub, params (string Key, string? Value)[] extra) =>
        DynamicYieldStub.TrackingSettings(stub, ApiKey, extra);

    /// <summary>Starts the app with the stub as Dynamic Yield, the probe, the test endpoints, and its metrics recorded.</summary>
    private Task<TestApp> StartAppAsync(params (string Key, string? Value)[] extra) => StartAppAsync(provider: null, time: null, extra);

    private Task<TestApp> StartAppAsync(TimeProvider time, params (string Key, string? Value)[] extra) => StartAppAsync(provider: null, time, extra);

    private Task<TestApp> StartAppAsync(ChoiceStub provider, params (string Key, string? Value)[] extra) => StartAppAsync(provider, time: null, extra);

    /// <summary>
    /// As above; with <paramref name="provider"/>, experiences are decided by a stand-in for Dynamic Yield's choose
    /// (Dynamic Yield attribution with a decisionId), so the tag helpers and the click endpoint render its choices.
    /// </summary>
    private async Task<TestApp> StartAppAsync(ChoiceStub? provider, TimeProvider? time, (string Key, string? Value)[] extra)
    {
        var settings = Settings(_stub, extra);
        if (provider is not null)
        {
            settings["Personalization:Provider"] = ChoiceProvider;
        }

        return Record(await TestApp.StartAsync(
            settings,
            services: s =>
            {
                s.AddSingleton<ITrackingDestination>(_probe);
                if (provider is not null)
                {
                    s.AddSingleton(new ProviderRegistration(ChoiceProvider, _ => provider, _ => TimeSpan.FromSeconds(5)));
                }
            },
            beforePersonalization: app => app.UseTestUser(),
            endpoints: MapEndpoints,
            time: time));
    }

    private TestApp Record(TestApp app)
    {
        _metrics = new MetricsCollector(app.Services);
        return app;
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapGet("/click-slot", (HttpContext context) =>
        {
            context.GetPersonalization().TrackClick(RecommendationExperience, "cta", slotId: "slot-1");
            return Results.Ok();
        });
        app.MapGet("/click", (HttpContext context) =>
        {
            context.GetPersonalization().TrackClick(DecisionExperience, "cta");
            return Results.Ok();
        });
        app.MapGet("/click-variation", (HttpContext context, string v) =>
        {
            context.GetPersonalization().TrackClick(DynamicYieldExperience("offer", "dmFyaWF0aW9u", v), "cta");
            return Results.Ok();
        });
        app.MapGet("/click-moengage", (HttpContext context) =>
        {
            context.GetPersonalization().TrackClick(MoEngageExperience, "cta");
            return Results.Ok();
        });
        app.MapGet("/click-moengage-slot", (HttpContext context) =>
        {
            context.GetPersonalization().TrackClick(MoEngageExperience, "cta", slotId: "slot-1");
            return Results.Ok();
        });
        app.MapGet("/click-local", (HttpContext context) =>
        {
            context.GetPersonalization().TrackClick(LocalExperience, "cta");
            return Results.Ok();
        });
        app.MapGet("/click-local-slot", (HttpContext context) =>
        {
            context.GetPersonalization().TrackClick(LocalExperience, "cta", slotId: "slot-1");
            return Results.Ok();
        });
        app.MapGet("/click-undecided", (HttpContext context) =>
        {
            context.GetPersonalization().TrackClick(UndecidedExperience, "cta");
            return Results.Ok();
        });
        app.MapGet("/click-undecided-slot", (HttpContext context) =>
        {
            context.GetPersonalization().TrackClick(UndecidedExperience, "cta", slotId: "slot-1");
            return Results.Ok();
        });
        app.MapGet("/impression-undecided", (HttpContext context) =>
        {
            context.GetPersonalization().TrackImpression(UndecidedExperience);
            return Results.Ok();
        });
        app.MapGet("/impression", (HttpContext context) =>
        {
            context.GetPersonalization().TrackImpression(DecisionExperience);
            return Results.Ok();
        });
        app.MapGet("/fetch-only", async (HttpContext context) =>
            await context.GetPersonalization().GetExperienceAsync("hidden") is not null ? "true" : "false");
    }

    /// <summary>Waits until Dynamic Yield's destination counted one delivery, then returns the only request the stub got.</summary>
    private async Task<RecordedRequest> SingleDeliveredAsync() => Assert.Single(await DeliveredAsync(1));

    /// <summary>Waits until Dynamic Yield's destination counted <paramref name="count"/> deliveries; returns what the stub got, in order.</summary>
    private async Task<RecordedRequest[]> DeliveredAsync(int count)
    {
        Assert.True(await Eventually.TrueAsync(() => Delivered() >= count), $"Delivered {Delivered()}; the stub got {_stub.Requests.Count} request(s).");
        var requests = _stub.Requests.ToArray();
        Assert.Equal(count, Delivered());
        Assert.Equal(count, requests.Length);
        return requests;
    }

    private long Delivered() =>
        _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", "DynamicYield"), ("outcome", "delivered"));

    private long Dropped(string reason) =>
        _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", "DynamicYield"), ("outcome", "dropped"), ("reason", reason));

    private long Skipped(string? reason = null) => reason is null
        ? _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", "DynamicYield"), ("outcome", "skipped"))
        : _metrics!.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", "DynamicYield"), ("outcome", "skipped"), ("reason", reason));

    /// <summary>Stands in for Dynamic Yield's choose: answers every key it has a choice for.</summary>
    private sealed class ChoiceStub(params Experience[] choices) : IExperienceProvider
    {
        public string Name => ChoiceProvider;

        public ValueTask<ExperienceFetchResult> FetchAsync(ExperienceRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new ExperienceFetchResult(
                choices.Where(c => request.Keys.Contains(c.Key, StringComparer.Ordinal)).ToDictionary(c => c.Key, StringComparer.Ordinal)));
    }

    /// <summary>A visitor's browser: sends the cookies it holds and keeps those the responses set.</summary>
    private sealed class Browser(TestApp app, params (string Name, string Value)[] cookies)
    {
        private readonly Dictionary<string, string> _cookies = cookies.ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal);

        public string Cookie(string name) =>
            _cookies.TryGetValue(name, out var value) ? value : throw new Xunit.Sdk.XunitException($"The browser holds no {name} cookie.");

        public async Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] headers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (_cookies.Count > 0)
            {
                request.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            }

            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            var response = await app.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            foreach (var (name, value) in SetCookies(response))
            {
                _cookies[name] = value;
            }

            return response;
        }

        public async Task<IdentityDto> GetIdentityAsync(params (string Name, string Value)[] headers)
        {
            using var response = await GetAsync("/identity", headers);
            return JsonSerializer.Deserialize<IdentityDto>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
        }

        /// <summary>The name and value of each cookie <paramref name="response"/> sets.</summary>
        public static IReadOnlyList<(string Name, string Value)> SetCookies(HttpResponseMessage response) =>
            response.Headers.TryGetValues("Set-Cookie", out var values)
                ? [.. values.Select(v => v.Split(';', 2)[0]).Select(v => (v[..v.IndexOf('=', StringComparison.Ordinal)], v[(v.IndexOf('=', StringComparison.Ordinal) + 1)..]))]
                : [];
    }
}
