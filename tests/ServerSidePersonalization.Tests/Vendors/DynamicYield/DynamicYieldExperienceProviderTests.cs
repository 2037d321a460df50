using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;
using ServerSidePersonalization.Vendors.DynamicYield;

namespace ServerSidePersonalization.Tests.Vendors.DynamicYield;

/// <summary>
/// The Dynamic Yield choose provider end to end: a real app on the test server, the real HTTP client and JSON, and a
/// stub Dynamic Yield on loopback Kestrel. Pages are the Razor pages under <c>Pages/Tags</c> and minimal API endpoints
/// that answer with what the feature gave them.
/// </summary>
public sealed class DynamicYieldExperienceProviderTests : IAsyncLifetime
{
    private const string Dyid = "1679843014604301";
    private const string DyidServer = "1679843014604302";
    private const string DySession = "a2719b4d6c470383f1bf3";

    private static readonly (string Name, string Value)[] WebModeCookies =
        [("ssp_vid", "visitor-1"), ("_dyid", Dyid), ("_dyid_server", DyidServer), ("_dyjsession", DySession)];

    private StubVendorServer _stub = null!;

    public async Task InitializeAsync() => _stub = await StubVendorServer.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task Choose_WebMode_SendsTheDocumentedRequestForAllKeysInOneCall()
    {
        _stub.Respond = DynamicYieldStub.Answer();
        await using var app = await StartAppAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/dy/keys?from=test");
        request.Headers.Add("Cookie", $"ssp_vid=visitor-1; _dyid={Dyid}; _dyid_server={DyidServer}; _dyjsession={DySession}");
        request.Headers.Add("User-Agent", "TestBrowser/1.0");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("Referer", "https://ref.example/from?q=1");
        request.Headers.Add("Accept-Language", "fr-CH, fr;q=0.9, en;q=0.8");
        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_stub.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal(DynamicYieldStub.ChoosePath, sent.Path);
        Assert.Equal(DynamicYieldStub.ApiKey, sent.Header("DY-API-Key"));
        Assert.Equal("application/json", sent.Header("Content-Type"));
        AssertJson(
            $$"""
            {
              "user": {"dyid": "{{Dyid}}", "dyid_server": "{{DyidServer}}"},
              "session": {"dy": "{{DySession}}"},
              "selector": {"names": ["banner", "hero", "recs"]},
              "context": {
                "page": {"type": "OTHER", "location": "http://localhost/dy/keys?from=test", "referrer": "https://ref.example/from?q=1", "locale": "fr-CH"},
                "device": {"userAgent": "TestBrowser/1.0", "ip": "203.0.113.7"}
              },
              "options": {"isImplicitImpressionMode": false}
            }
            """,
            DynamicYieldStub.Json(sent));
    }

    [Fact]
    public async Task Choose_ImplicitImpressionModeWithoutRefererOrLanguage_SendsNoOptionsReferrerOrLocale()
    {
        _stub.Respond = DynamicYieldStub.Answer();
        await using var app = await StartAppAsync(("Personalization:DynamicYield:ImpressionMode", "Implicit"));

        using var response = await SendAsync(app, "/dy/hero", WebModeCookies);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertJson(
            $$"""
            {
              "user": {"dyid": "{{Dyid}}", "dyid_server": "{{DyidServer}}"},
              "session": {"dy": "{{DySession}}"},
              "selector": {"names": ["hero"]},
              "context": {
                "page": {"type": "OTHER", "location": "http://localhost/dy/hero"},
                "device": {"userAgent": "TestBrowser/1.0", "ip": "203.0.113.7"}
              }
            }
            """,
            DynamicYieldStub.Json(Assert.Single(_stub.Requests)));
    }

    [Fact]
    public async Task Choose_ApiOnlyMode_SendsTheVisitorIdAndTheSessionId()
    {
        _stub.Respond = DynamicYieldStub.Answer();
        var now = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        await using var app = await StartAppAsync(new FakeTimeProvider(now), ("Personalization:DynamicYield:Mode", "ApiOnly"));

        using var response = await SendAsync(app, "/dy/hero", ("ssp_vid", "visitor-1"), ("ssp_dysid", ApiOnlySession(now)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_stub.Requests);
        Assert.Equal(DynamicYieldStub.ChoosePath, sent.Path);
        Assert.Equal(DynamicYieldStub.ApiKey, sent.Header("DY-API-Key"));
        AssertJson(
            """
            {
              "user": {"id": "visitor-1"},
              "session": {"custom": "0123456789abcdef0123456789abcdef"},
              "selector": {"names": ["hero"]},
              "context": {
                "page": {"type": "OTHER", "location": "http://localhost/dy/hero"},
                "device": {"userAgent": "TestBrowser/1.0", "ip": "203.0.113.7"}
              },
              "options": {"isImplicitImpressionMode": false}
            }
            """,
            DynamicYieldStub.Json(sent));
    }

    [Fact]
    public async Task Choose_ApiOnlyModeSignedInCustomer_KeepsTheVisitorIdAsUserId()
    {
        _stub.Respond = DynamicYieldStub.Answer();
        var now = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        await using var app = await StartAppAsync(
            new FakeTimeProvider(now), ("Personalization:DynamicYield:Mode", "ApiOnly"), ("Personalization:Identity:CustomerIdHeader", "X-Customer"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/dy/hero");
        request.Headers.Add("Cookie", $"ssp_vid=visitor-1; ssp_dysid={ApiOnlySession(now)}");
        request.Headers.Add("X-Customer", "customer-42");
        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = DynamicYieldStub.Json(Assert.Single(_stub.Requests));
        AssertJson("""{"id": "visitor-1"}""", body["user"]);
        AssertJson("""{"custom": "0123456789abcdef0123456789abcdef"}""", body["session"]);
    }

    [Fact]
    public async Task Choose_ProductPage_SendsPageTypeAndDataAndCachesPerSku()
    {
        _stub.Respond = DynamicYieldStub.Answer();
        await using var app = await StartAppAsync();

        await app.GetPageAsync("/p/sku-1", WebModeCookies);
        await app.GetPageAsync("/p/sku-2", WebModeCookies);
        await app.GetPageAsync("/p/sku-1", WebModeCookies);

        var calls = DynamicYieldStub.Chooses(_stub);
        Assert.Equal(2, calls.Count);
        AssertJson("""{"type": "PRODUCT", "location": "http://localhost/p/sku-1", "data": ["sku-1"]}""", DynamicYieldStub.Json(calls[0])["context"]!["page"]);
        AssertJson("""{"type": "PRODUCT", "location": "http://localhost/p/sku-2", "data": ["sku-2"]}""", DynamicYieldStub.Json(calls[1])["context"]!["page"]);
        Assert.All(calls, c => Assert.Equal(["recs"], DynamicYieldStub.Names(c)));
    }

    [Fact]
    public async Task Choose_AnswerWithCookies_SetsOnlyValidDynamicYieldCookiesAndTheNextRequestSendsThem()
    {
        _stub.Respond = DynamicYieldStub.Answer(
            [],
            [
                .. DynamicYieldStub.NewVisitorCookies(),
                DynamicYieldStub.Cookie("_dy_unknown", "x1", 100),
                DynamicYieldStub.Cookie("_dyid", "a;b", 100),
                DynamicYieldStub.Cookie("tracking", "1", 100),
            ]);
        await using var app = await StartAppAsync();

        using var first = await app.GetAsync("/dy/hero", ("ssp_vid", "visitor-1"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var cookies = SetCookies(first);
        var server = Assert.Single(cookies, c => c.Name == "_dyid_server");
        Assert.Equal("123", server.Value.ToString());
        Assert.Equal(TimeSpan.FromSeconds(31540000), server.MaxAge);
        Assert.True(server.HttpOnly);
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Lax, server.SameSite);
        Assert.Equal("/", server.Path.ToString());
        var session = Assert.Single(cookies, c => c.Name == "_dyjsession");
        Assert.Equal("abc", session.Value.ToString());
        Assert.Equal(TimeSpan.FromSeconds(1800), session.MaxAge);
        Assert.True(session.HttpOnly);
        Assert.DoesNotContain(cookies, c => c.Name == "_dyid" || c.Name == "_dy_unknown" || c.Name == "tracking");

        // The browser sends them back (another visitor id, so the cache does not answer).
        await app.GetPageAsync("/dy/hero", ("ssp_vid", "visitor-2"), ("_dyid_server", "123"), ("_dyjsession", "abc"));

        var calls = DynamicYieldStub.Chooses(_stub);
        Assert.Equal(2, calls.Count);
        AssertJson("{}", DynamicYieldStub.Json(calls[0])["user"]);
        AssertJson("""{"dyid": "123", "dyid_server": "123"}""", DynamicYieldStub.Json(calls[1])["user"]);
        AssertJson("""{"dy": "abc"}""", DynamicYieldStub.Json(calls[1])["session"]);
    }

    [Fact]
    public async Task Choose_NoTrackingConsent_SetsNoDynamicYieldCookie()
    {
        _stub.Respond = DynamicYieldStub.Answer([DynamicYieldStub.CustomJson("hero", new JsonObject { ["Title"] = "Chosen" })], DynamicYieldStub.NewVisitorCookies());
        await using var app = await StartAppAsync(
            DynamicYieldStub.Settings(_stub),
            services: s => s.Configure<CookiePolicyOptions>(o => o.CheckConsentNeeded = _ => true),
            before: a => a.UseCookiePolicy());

        using var response = await app.GetAsync("/dy/hero", ("ssp_vid", "visitor-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(DynamicYieldStub.Chooses(_stub));
        Assert.Equal("Chosen", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["hero"]!["title"]);
        Assert.DoesNotContain(SetCookies(response), c => c.Name.ToString().StartsWith("_dy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Choose_ConsentFeatureSaysNo_TheLibraryItselfSetsNoDynamicYieldCookie()
    {
        // No cookie policy middleware that would strip non-essential cookies: only the library's own check can hold.
        _stub.Respond = DynamicYieldStub.Answer([DynamicYieldStub.CustomJson("hero", new JsonObject { ["Title"] = "Chosen" })], DynamicYieldStub.NewVisitorCookies());
        await using var app = await StartAppAsync(
            DynamicYieldStub.Settings(_stub),
            before: a => a.Use((context, next) =>
            {
                context.Features.Set<ITrackingConsentFeature>(new NoConsent());
                return next(context);
            }));

        using var response = await app.GetAsync("/dy/hero", ("ssp_vid", "visitor-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Chosen", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["hero"]!["title"]);
        Assert.DoesNotContain(SetCookies(response), c => c.Name.ToString().StartsWith("_dy", StringComparison.Ordinal));
    }

    private sealed class NoConsent : ITrackingConsentFeature
    {
        public bool IsConsentNeeded => true;

        public bool HasConsent => false;

        public bool CanTrack => false;

        public void GrantConsent()
        {
        }

        public void WithdrawConsent()
        {
        }

        public string CreateConsentCookie() => string.Empty;
    }

    [Fact]
    public async Task Choose_CustomJsonChoice_RendersItsFieldsWithTheChoiceAttribution()
    {
        _stub.Respond = DynamicYieldStub.Answer(
            DynamicYieldStub.CustomJson("hero", new JsonObject { ["Title"] = "Spring sale", ["CtaUrl"] = "/sale" }, decisionId: "d-1", variationId: 501));
        await using var app = await StartAppAsync();

        var page = await app.GetPageAsync("/Tags/Hero", WebModeCookies);
        var hero = JsonNode.Parse(await app.GetPageAsync("/dy/hero", ("ssp_vid", "visitor-2"), ("_dyid", Dyid)))!["hero"];

        Assert.Contains("<h1>Spring sale</h1>", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/sale\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Fallback hero", page, StringComparison.Ordinal);
        AssertJson(
            """{"title": "Spring sale", "ctaUrl": "/sale", "vendor": "DynamicYield", "decisionId": "d-1", "variationId": "501", "slots": []}""",
            hero);
    }

    [Fact]
    public async Task Choose_RecsChoice_GivesTheSlotsAndTheCustomFields()
    {
        _stub.Respond = DynamicYieldStub.Answer(DynamicYieldStub.Recs(
            "recs",
            new JsonObject { ["Title"] = "Recs" },
            DynamicYieldStub.Slot("s1", "sku-1", "A"),
            DynamicYieldStub.Slot("s2", "sku-2", "B")));
        await using var app = await StartAppAsync();

        var recs = JsonNode.Parse(await app.GetPageAsync("/dy/recs", WebModeCookies))!["recs"];

        AssertJson(
            """
            {
              "title": "Recs", "ctaUrl": null, "vendor": "DynamicYield", "decisionId": "d-recs", "variationId": "777",
              "slots": [
                {"slotId": "s1", "sku": "sku-1", "productData": {"name": "A", "price": 12.5}},
                {"slotId": "s2", "sku": "sku-2", "productData": {"name": "B", "price": 12.5}}
              ]
            }
            """,
            recs);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Choose_ControlGroup_RendersTheFallbackAndCachesIt(bool nullVariations)
    {
        _stub.Respond = DynamicYieldStub.Answer(DynamicYieldStub.Control("hero", nullVariations));
        await using var app = await StartAppAsync();

        var first = await app.GetPageAsync("/Tags/Hero", WebModeCookies);
        var second = await app.GetPageAsync("/Tags/Hero", WebModeCookies);

        Assert.Contains("<h1>Fallback hero</h1>", first, StringComparison.Ordinal);
        Assert.Contains("<h1>Fallback hero</h1>", second, StringComparison.Ordinal);
        Assert.Single(DynamicYieldStub.Chooses(_stub));
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task Choose_NewVisitorTwoConcurrentPages_SecondCallWaitsForAndUsesTheFirstAnswersIds()
    {
        var choices = new[]
        {
            DynamicYieldStub.CustomJson("a", new JsonObject { ["Title"] = "Title a" }),
            DynamicYieldStub.CustomJson("b", new JsonObject { ["Title"] = "Title b" }),
        };
        var withIds = DynamicYieldStub.Answer(choices, DynamicYieldStub.NewVisitorCookies());
        var withoutCookies = DynamicYieldStub.Answer(choices);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        _stub.Respond = request =>
        {
            if (Interlocked.Increment(ref received) > 1)
            {
                return withoutCookies(request);
            }

            // The first answer is held until both pages are waiting on Dynamic Yield.
            var body = withIds(request).Body!;
            return new StubResponse(200, Writer: async response =>
            {
                await gate.Task.WaitAsync(response.HttpContext.RequestAborted);
                response.ContentType = "application/json";
                await response.WriteAsync(body);
            });
        };
        await using var app = await StartAppAsync();
        using var metrics = new MetricsCollector(app.Services);

        var pageA = app.GetAsync("/dy/a", ("ssp_vid", "new-visitor"));
        var pageB = app.GetAsync("/dy/b", ("ssp_vid", "new-visitor"));
        bool bothWaiting;
        try
        {
            // Both pages' provider calls have started (or, were they not serialized, both reached the stub).
            bothWaiting = await Eventually.TrueAsync(() => metrics.Sum(PersonalizationTelemetry.ProviderCalls) >= 2 || _stub.Requests.Count >= 2);
        }
        finally
        {
            gate.TrySetResult();
        }

        using var a = await pageA;
        using var b = await pageB;

        Assert.True(bothWaiting, "The two pages never both called the provider.");
        var calls = DynamicYieldStub.Chooses(_stub);
        Assert.Equal(2, calls.Count);
        AssertJson("{}", DynamicYieldStub.Json(calls[0])["user"]);
        AssertJson("{}", DynamicYieldStub.Json(calls[0])["session"]);
        AssertJson("""{"dyid": "123", "dyid_server": "123"}""", DynamicYieldStub.Json(calls[1])["user"]);
        AssertJson("""{"dy": "abc"}""", DynamicYieldStub.Json(calls[1])["session"]);
        Assert.Equal("Title a", (string?)JsonNode.Parse(await a.Content.ReadAsStringAsync())!["a"]!["title"]);
        Assert.Equal("Title b", (string?)JsonNode.Parse(await b.Content.ReadAsStringAsync())!["b"]!["title"]);

        // Both pages hand the new ids to the browser.
        Assert.All(new[] { a, b }, response => Assert.Equal("123", Assert.Single(SetCookies(response), c => c.Name == "_dyid_server").Value.ToString()));
    }

    public static TheoryData<string> FailingAnswers => ["400", "401", "403", "422", "429", "451", "500", "malformed", "truncated", "wrong-shape", "2MB-length", "2MB-chunked"];

    [Theory]
    [MemberData(nameof(FailingAnswers))]
    public async Task Choose_VendorFails_PageRendersFallbackWith200(string answer)
    {
        // Every status answer carries a valid choice: a provider that ignored the status would render it.
        var valid = DynamicYieldStub.Body([DynamicYieldStub.CustomJson("hero", new JsonObject { ["Title"] = "Should not render" })]);
        _stub.Respond = answer switch
        {
            "malformed" => _ => StubResponse.Json("""{"choices":[{"name":"hero","decisionId":"d-1",}]}"""),
            "truncated" => _ => StubResponse.Json(valid[..(valid.Length / 2)]),
            "wrong-shape" => _ => StubResponse.Json("""{"choices":{"hero":{"decisionId":"d-1"}}}"""),
            "2MB-length" => _ => new StubResponse(200, Writer: response => WriteLargeAsync(response, setLength: true)),
            "2MB-chunked" => _ => new StubResponse(200, Writer: response => WriteLargeAsync(response, setLength: false)),
            _ => _ => StubResponse.Json(valid, int.Parse(answer, System.Globalization.CultureInfo.InvariantCulture)),
        };
        await using var app = await StartAppAsync();

        var page = await app.GetPageAsync("/Tags/Hero", WebModeCookies);

        Assert.Contains("<h1>Fallback hero</h1>", page, StringComparison.Ordinal);
        Assert.Contains("id=\"standalone-fallback\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Should not render", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Too big", page, StringComparison.Ordinal);
        Assert.Single(DynamicYieldStub.Chooses(_stub));
        Assert.Contains(app.Logs.Entries, e => e.Id.Name is "DynamicYieldChooseFailed" or "DynamicYieldConfigurationError");
        Assert.DoesNotContain(DynamicYieldStub.ApiKey, app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Choose_VendorHangs_PageRendersFallbackBeforeTheAnswer()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = DynamicYieldStub.Body([DynamicYieldStub.CustomJson("hero", new JsonObject { ["Title"] = "Too late" })]);
        _stub.Respond = _ => new StubResponse(200, Writer: async response =>
        {
            // Stands for a vendor that takes 2 s: it answers only once the test has the page.
            await release.Task.WaitAsync(response.HttpContext.RequestAborted);
            response.ContentType = "application/json";
            await response.WriteAsync(body);
        });
        await using var app = await StartAppAsync(("Personalization:DynamicYield:Timeout", "00:00:00.300"), ("Personalization:DynamicYield:HttpTimeout", "00:00:02"));

        string page;
        bool callStillRunning;
        try
        {
            page = await app.GetPageAsync("/Tags/Hero", WebModeCookies);

            // The page did not wait for the HTTP call to give up either: that would have logged a failed choose.
            callStillRunning = app.Logs.Named("DynamicYieldChooseFailed").Count == 0;
        }
        finally
        {
            release.TrySetResult();
        }

        Assert.Contains("<h1>Fallback hero</h1>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Too late", page, StringComparison.Ordinal);
        Assert.True(callStillRunning, "The page waited until the choose call timed out.");
        Assert.Single(app.Logs.Named("BudgetExceeded"));
        Assert.Single(DynamicYieldStub.Chooses(_stub));
        Assert.DoesNotContain(DynamicYieldStub.ApiKey, app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Choose_SelectorsBesideMoEngage_EachKeyGoesToItsOwnVendorOnly()
    {
        await using var moEngage = await StubVendorServer.StartAsync();
        moEngage.Respond = MoEngageStub.Answer();
        _stub.Respond = DynamicYieldStub.Answer(
            DynamicYieldStub.CustomJson("hero", new JsonObject { ["Title"] = "Dynamic Yield hero" }),
            DynamicYieldStub.Recs("recs", new JsonObject { ["Title"] = "Recs" }, DynamicYieldStub.Slot("s1", "sku-1", "A")));
        var settings = MoEngageStub.Settings(
            moEngage,
            ("Personalization:DynamicYield:BaseUrl", _stub.Url.ToString()),
            ("Personalization:DynamicYield:ApiKey", DynamicYieldStub.ApiKey),
            ("Personalization:DynamicYield:Timeout", "00:00:05"),
            ("Personalization:DynamicYield:HttpTimeout", "00:00:05"),
            ("Personalization:DynamicYield:Selectors:0", "recs"),
            ("Personalization:Tracking:DynamicYield:Enabled", "false"));
        await using var app = await StartAppAsync(settings);

        var page = JsonNode.Parse(await app.GetPageAsync("/dy/both", WebModeCookies))!;

        Assert.Equal("Title of hero", (string?)page["hero"]!["title"]);
        Assert.Equal("MoEngage", (string?)page["hero"]!["vendor"]);
        Assert.Equal("Recs", (string?)page["recs"]!["title"]);
        Assert.Equal("DynamicYield", (string?)page["recs"]!["vendor"]);
        Assert.Equal(["hero"], MoEngageStub.Keys(Assert.Single(moEngage.Requests)));
        Assert.Equal(["recs"], DynamicYieldStub.Names(Assert.Single(_stub.Requests)));
    }

    private Task<TestApp> StartAppAsync(params (string Key, string? Value)[] extra) => StartAppAsync(DynamicYieldStub.Settings(_stub, extra));

    private Task<TestApp> StartAppAsync(TimeProvider time, params (string Key, string? Value)[] extra) =>
        StartAppAsync(DynamicYieldStub.Settings(_stub, extra), time: time);

    private static Task<TestApp> StartAppAsync(
        Dictionary<string, string?> settings,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? before = null,
        TimeProvider? time = null) =>
        TestApp.StartAsync(
            settings,
            services: s =>
            {
                s.Configure<ForwardedHeadersOptions>(o =>
                {
                    o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
                    o.KnownIPNetworks.Clear();
                    o.KnownProxies.Clear();
                });
                services?.Invoke(s);
            },
            beforePersonalization: app =>
            {
                app.UseForwardedHeaders();
                before?.Invoke(app);
            },
            endpoints: MapEndpoints,
            time: time);

    /// <summary>Endpoints that declare their keys and answer with what the feature gave them.</summary>
    private static void MapEndpoints(WebApplication app)
    {
        MapExperiences(app, "/dy/keys", "banner", "hero", "recs");
        MapExperiences(app, "/dy/hero", "hero");
        MapExperiences(app, "/dy/recs", "recs");
        MapExperiences(app, "/dy/a", "a");
        MapExperiences(app, "/dy/b", "b");
        MapExperiences(app, "/dy/both", "hero", "recs");
        MapExperiences(app, "/p/{sku}", "recs").WithDynamicYieldPage(PageType.Product, "sku");
    }

    private static RouteHandlerBuilder MapExperiences(WebApplication app, string pattern, params string[] keys) =>
        app.MapGet(pattern, async (HttpContext context) =>
        {
            var result = new JsonObject();
            foreach (var key in keys)
            {
                result[key] = Describe(await context.GetPersonalization().GetExperienceAsync(key));
            }

            return Results.Text(result.ToJsonString(), "application/json");
        }).WithExperiences(keys);

    private static JsonObject? Describe(Experience? experience) => experience is null ? null : new JsonObject
    {
        ["title"] = experience.GetString("Title"),
        ["ctaUrl"] = experience.GetString("CtaUrl"),
        ["vendor"] = experience.Attribution.Vendor,
        ["decisionId"] = experience.Attribution.DecisionId,
        ["variationId"] = experience.Attribution.VariationId,
        ["slots"] = new JsonArray([.. experience.Slots.Select(s => (JsonNode)new JsonObject
        {
            ["slotId"] = s.SlotId,
            ["sku"] = s.Sku,
            ["productData"] = s.ProductData.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(s.ProductData.GetRawText()),
        })]),
    };

    /// <summary>An API-only session cookie: a fixed id, last seen five minutes before <paramref name="now"/>.</summary>
    private static string ApiOnlySession(DateTimeOffset now) => $"0123456789abcdef0123456789abcdef.{(now - TimeSpan.FromMinutes(5)).ToUnixTimeSeconds()}";

    /// <summary>GETs <paramref name="path"/> from a browser with a User-Agent behind a proxy that reports its address.</summary>
    private static Task<HttpResponseMessage> SendAsync(TestApp app, string path, params (string Name, string Value)[] cookies)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        request.Headers.Add("User-Agent", "TestBrowser/1.0");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        return app.Client.SendAsync(request);
    }

    private static IList<SetCookieHeaderValue> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? SetCookieHeaderValue.ParseList([.. values]) : [];

    /// <summary>Asserts <paramref name="actual"/> is the JSON of <paramref name="expected"/>, property order aside.</summary>
    private static void AssertJson(string expected, JsonNode? actual)
    {
        var want = JsonNode.Parse(expected);
        if (!JsonNode.DeepEquals(want, actual))
        {
            Assert.Equal(want?.ToJsonString(), actual?.ToJsonString());
            Assert.Fail($"Expected {want?.ToJsonString()}, got {actual?.ToJsonString()}.");
        }
    }

    /// <summary>A valid answer whose choice would render "Too big", padded to 2 MB (over the 1 MiB cap).</summary>
    private static async Task WriteLargeAsync(HttpResponse response, bool setLength)
    {
        const int size = 2 * 1024 * 1024;
        var prefix = Encoding.UTF8.GetBytes(
            """{"choices":[{"name":"hero","decisionId":"d-1","variations":[{"id":501,"payload":{"type":"CUSTOM_JSON","data":{"Title":"Too big","Padding":" """);
        var suffix = Encoding.UTF8.GetBytes("\"}}}]}],\"cookies\":[]}");
        if (setLength)
        {
            response.ContentLength = size;
        }

        response.ContentType = "application/json";
        try
        {
            await response.Body.WriteAsync(prefix);
            var chunk = Encoding.UTF8.GetBytes(new string('a', 64 * 1024));
            for (var left = size - prefix.Length - suffix.Length; left > 0; left -= chunk.Length)
            {
                await response.Body.WriteAsync(chunk.AsMemory(0, Math.Min(left, chunk.Length)));
            }

            await response.Body.WriteAsync(suffix);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client stopped reading at its cap: that is the point.
        }
    }
}
