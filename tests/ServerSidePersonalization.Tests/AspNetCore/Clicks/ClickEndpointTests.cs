using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.AspNetCore.Clicks;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.AspNetCore.Clicks;

/// <summary>
/// The click endpoint and <c>&lt;a experience-click&gt;</c> end to end: links rendered by Pages/Tags/Click.cshtml,
/// followed through the test server, clicks observed by a recording tracking destination.
/// </summary>
public sealed class ClickEndpointTests(ClickEndpointTests.SharedApp shared) : IClassFixture<ClickEndpointTests.SharedApp>
{
    private const string OldPurpose = "ServerSidePersonalization.Clicks.v1";

    private const string ClickPath = "/_personalization/click";

    /// <summary>
    /// Hostile requests, each with the Location it may lead to (null: it must answer 400). Tokens for open-redirect
    /// targets are minted with the app's own <see cref="ClickTokens"/>, as if a link had been rendered for them.
    /// </summary>
    private static readonly Dictionary<string, (Func<IServiceProvider, string> Url, string? Location)> Hostile = new()
    {
        // Tokens that are missing, malformed or not ours.
        ["no token"] = (_ => ClickPath, null),
        ["empty token"] = (_ => ClickPath + "?t=", null),
        ["blank token"] = (_ => ClickPath + "?t=%20", null),
        ["token under another name"] = (sp => ClickPath + "?token=" + Mint(sp, "/landing/hero"), null),
        ["garbage token"] = (_ => Query("not-a-token"), null),
        ["NUL token"] = (_ => ClickPath + "?t=%00", null),
        ["unicode token"] = (_ => Query("\u0442\u043e\u043a\u0435\u043d"), null),
        ["huge token"] = (_ => Query(new string('A', 100_000)), null),
        ["two tokens"] = (sp => Query(Mint(sp, "/landing/hero")) + "&t=" + Mint(sp, "/landing/hero"), null),
        ["first character changed"] = (sp => Query(Tamper(Mint(sp, "/landing/hero"), 0)), null),
        ["middle character changed"] = (sp => Query(Tamper(Mint(sp, "/landing/hero"), 0.5)), null),
        ["last character changed"] = (sp => Query(Tamper(Mint(sp, "/landing/hero"), 1)), null),
        ["truncated by one"] = (sp => Query(Mint(sp, "/landing/hero")[..^1]), null),
        ["truncated to half"] = (sp => Query(Half(Mint(sp, "/landing/hero"))), null),
        ["extended by one"] = (sp => Query(Mint(sp, "/landing/hero") + "A"), null),
        ["padded"] = (sp => Query(Mint(sp, "/landing/hero") + "=="), null),
        ["standard base64"] = (sp => Query(Convert.ToBase64String(Base64Url.DecodeFromChars(Mint(sp, "/landing/hero")))), null),
        ["expired"] = (sp => Query(Tokens(sp).Protect(Token("/landing/hero"), Now(sp).AddSeconds(-1))), null),
        ["expired a year ago"] = (sp => Query(Tokens(sp).Protect(Token("/landing/hero"), Now(sp).AddYears(-1))), null),
        ["other purpose"] = (sp => Query(Seal(sp.GetRequiredService<IDataProtectionProvider>(), "ServerSidePersonalization.Clicks.v0", TokenJson("/landing/hero"))), null),
        ["same purpose, no expiry"] = (sp => Query(Base64Url.EncodeToString(
            sp.GetRequiredService<IDataProtectionProvider>().CreateProtector(OldPurpose).Protect(TokenJson("/landing/hero")))), null),
        ["another key ring"] = (_ => Query(Seal(new EphemeralDataProtectionProvider(), OldPurpose, TokenJson("/landing/hero"))), null),
        ["signed by another key ring"] = (_ => Query(AnotherKeyRing("/landing/hero")), null),
        ["old Data Protection token of this key ring"] = (sp => Query(Seal(sp.GetRequiredService<IDataProtectionProvider>(), OldPurpose, TokenJson("/landing/hero"))), null),
        ["sealed JSON that is not a token"] = (sp => Query(Seal(sp.GetRequiredService<IDataProtectionProvider>(), OldPurpose, "{\"u\":\"/x\"}"u8.ToArray())), null),

        // Genuine tokens carrying open-redirect targets.
        ["scheme-relative"] = (sp => Query(Mint(sp, "//evil.example")), null),
        ["slash backslash"] = (sp => Query(Mint(sp, "/\\evil.example")), null),
        ["double backslash"] = (sp => Query(Mint(sp, "\\\\evil.example")), null),
        ["backslash slash"] = (sp => Query(Mint(sp, "\\/evil.example")), null),
        ["other host"] = (sp => Query(Mint(sp, "https://evil.example")), null),
        ["user info"] = (sp => Query(Mint(sp, "https://allowed.example@evil.example")), null),
        ["user info to an allowed host"] = (sp => Query(Mint(sp, "https://evil.example:x@shop.example/")), null),
        ["wildcard apex"] = (sp => Query(Mint(sp, "https://example.com/")), null),
        ["allowed host as a prefix"] = (sp => Query(Mint(sp, "https://shop.example.evil.example/")), null),
        ["escaped authority"] = (sp => Query(Mint(sp, "https://shop.example%2F%2Fevil.example/")), null),
        ["no slashes after scheme"] = (sp => Query(Mint(sp, "https:evil.example")), null),
        ["three slashes after scheme"] = (sp => Query(Mint(sp, "https:///evil.example")), null),
        ["ftp"] = (sp => Query(Mint(sp, "ftp://shop.example/")), null),
        ["javascript"] = (sp => Query(Mint(sp, "javascript:alert(1)")), null),
        ["javascript, mixed case"] = (sp => Query(Mint(sp, "JaVaScRiPt:alert(1)")), null),
        ["javascript with a tab"] = (sp => Query(Mint(sp, "java\tscript:alert(1)")), null),
        ["javascript after a space"] = (sp => Query(Mint(sp, " javascript:alert(1)")), null),
        ["data"] = (sp => Query(Mint(sp, "data:text/html,x")), null),
        ["vbscript"] = (sp => Query(Mint(sp, "vbscript:msgbox(1)")), null),
        ["encoded slashes"] = (sp => Query(Mint(sp, "/%2F%2Fevil.example")), null),
        ["encoded slashes, no leading slash"] = (sp => Query(Mint(sp, "%2F%2Fevil.example")), null),
        ["encoded backslash"] = (sp => Query(Mint(sp, "/%5Cevil.example")), null),
        ["double-encoded slashes"] = (sp => Query(Mint(sp, "/%252F%252Fevil.example")), null),
        ["deeply encoded"] = (sp => Query(Mint(sp, "/%2525252525252F")), null),
        ["tab between slashes"] = (sp => Query(Mint(sp, "/\t/evil.example")), null),
        ["newline between slashes"] = (sp => Query(Mint(sp, "/\n/evil.example")), null),
        ["encoded CR LF"] = (sp => Query(Mint(sp, "/x%0d%0aSet-Cookie:a=b")), null),
        ["raw CR LF"] = (sp => Query(Mint(sp, "/x\r\nLocation: https://evil.example")), null),
        ["encoded NUL"] = (sp => Query(Mint(sp, "/x%00")), null),
        ["space"] = (sp => Query(Mint(sp, "/x y")), null),
        ["fullwidth slashes"] = (sp => Query(Mint(sp, "/\uFF0F\uFF0Fevil.example")), null),
        ["cyrillic look-alike host"] = (sp => Query(Mint(sp, "https://shop.\u0435xample/x")), null),
        ["ideographic full stop"] = (sp => Query(Mint(sp, "https://evil.example\u3002shop.example/")), null),
        ["line separator"] = (sp => Query(Mint(sp, "/x\u2028y")), null),
        ["relative"] = (sp => Query(Mint(sp, "evil.example")), null),
        ["too long"] = (sp => Query(Mint(sp, "/" + new string('a', ClickTarget.MaxLength))), null),

        // Odd but harmless: they stay on the site.
        ["local path naming another host in its query"] = (sp => Query(Mint(sp, "/search?next=https://evil.example")), "/search?next=https://evil.example"),
        ["local path with an encoded slash"] = (sp => Query(Mint(sp, "/a%2Fb")), "/a%2Fb"),
        ["allowed host with an encoded path"] = (sp => Query(Mint(sp, "https://shop.example/%2F%2Fx")), "https://shop.example/%2F%2Fx"),
    };

    public static TheoryData<string> HostileCases => [.. Hostile.Keys];

    [Fact]
    public void HostileCases_AreAtLeastForty() => Assert.True(Hostile.Count >= 40, $"{Hostile.Count} cases");

    [Theory]
    [MemberData(nameof(HostileCases))]
    public async Task Get_HostileRequest_Answers400OrStaysLocal(string name)
    {
        var (url, location) = Hostile[name];
        var visitor = NewVisitor();

        using var response = await shared.App.GetAsync(url(shared.App.Services), Cookie(visitor));

        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}");
        var locations = response.Headers.TryGetValues("Location", out var values) ? values.ToList() : [];
        Assert.All(locations, l => Assert.True(IsLocalOrAllowed(l), l));
        if (location is null)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Empty(locations);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            Assert.Empty(shared.Recorder.AcceptedClicks(visitor));
        }
        else
        {
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Equal(location, Assert.Single(locations));
            Assert.Single(shared.Recorder.AcceptedClicks(visitor));
        }
    }

    [Fact]
    public async Task RenderedLink_PointsAtTheClickEndpoint_AndItsAttributesAreGone()
    {
        var page = await shared.App.GetPageAsync("/Tags/Click", Cookie(NewVisitor()));

        Assert.Matches("^/_personalization/click\\?t=[A-Za-z0-9_-]+$", Href(page, "cta"));
        Assert.DoesNotContain("experience-", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderedLink_Get_RedirectsToTheCtaUrlAndRecordsExactlyOneClick()
    {
        await using var stub = await StubVendorServer.StartAsync();
        stub.Respond = MoEngageStub.Answer(has: key => key != "absent");
        var recorder = new RecordingDestination();
        var settings = MoEngageStub.Settings(
            stub,
            ("Personalization:Tracking:MoEngage:Enabled", "false"),
            ("Personalization:Tracking:FlushInterval", "00:00:00.050"));
        await using var app = await TestApp.StartAsync(settings, services => services.AddSingleton<ITrackingDestination>(recorder));
        const string visitor = "moengage-visitor";
        var page = await app.GetPageAsync("/Tags/Click", Cookie(visitor));

        using var response = await app.GetAsync(Href(page, "cta"), Cookie(visitor));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/landing/hero", response.Headers.Location?.OriginalString);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Single(recorder.AcceptedClicks(visitor));

        await app.App.StopAsync();
        var click = Assert.Single(recorder.Delivered, e => e.Kind == TrackingEventKind.Click);
        Assert.Equal("hero", click.ExperienceKey);
        Assert.Equal("cta", click.ElementId);
        Assert.Null(click.SlotId);
        Assert.Equal(visitor, click.Identity.VisitorId);
        Assert.Equal("MoEngage", click.Attribution!.Vendor);
        Assert.True(JsonNode.DeepEquals(MoEngageStub.Context("hero"), JsonNode.Parse(click.Attribution!.Context.GetRawText())));
    }

    [Fact]
    public async Task RenderedLink_Post_Answers204AndRecordsOneClick()
    {
        var visitor = NewVisitor();
        var page = await shared.App.GetPageAsync("/Tags/Click", Cookie(visitor));
        using var request = new HttpRequestMessage(HttpMethod.Post, Href(page, "cta"));
        request.Headers.Add("Cookie", $"ssp_vid={visitor}");

        using var response = await shared.App.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var click = Assert.Single(shared.Recorder.AcceptedClicks(visitor));
        Assert.Equal(("hero", "cta"), (click.ExperienceKey, click.ElementId));
        Assert.True(await Eventually.TrueAsync(() => shared.Recorder.Delivered.Any(e => e.Id == click.Id)));
    }

    [Theory]
    [InlineData("urlencoded")]
    [InlineData("multipart")]
    public async Task Post_TokenInAFormField_Answers204AndRecordsOneClick(string encoding)
    {
        var visitor = NewVisitor();
        var token = Mint(shared.App.Services, "/landing/hero");
        using HttpContent content = encoding == "urlencoded"
            ? new FormUrlEncodedContent([new("t", token)])
            : new MultipartFormDataContent { { new StringContent(token), "t" } };

        using var response = await Post(ClickPath, content, visitor);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Single(shared.Recorder.AcceptedClicks(visitor));
    }

    [Theory]
    [InlineData("no token")]
    [InlineData("tampered token in the query")]
    [InlineData("tampered token in the form")]
    [InlineData("expired token in the form")]
    [InlineData("open-redirect target in the form")]
    [InlineData("token as a text body")]
    [InlineData("oversized form")]
    [InlineData("malformed multipart")]
    public async Task Post_BadToken_Answers400AndRecordsNothing(string variant)
    {
        var visitor = NewVisitor();
        var services = shared.App.Services;
        var good = Mint(services, "/landing/hero");
        (string Path, HttpContent Content) post = variant switch
        {
            "no token" => (ClickPath, new StringContent(string.Empty)),
            "tampered token in the query" => (Query(Tamper(good, 0.5)), new StringContent(string.Empty)),
            "tampered token in the form" => (ClickPath, Form(Tamper(good, 0.5))),
            "expired token in the form" => (ClickPath, Form(Tokens(services).Protect(Token("/landing/hero"), Now(services).AddMinutes(-1)))),
            "open-redirect target in the form" => (ClickPath, Form(Mint(services, "//evil.example"))),
            "token as a text body" => (ClickPath, new StringContent(good)),
            "oversized form" => (ClickPath, new FormUrlEncodedContent([new("t", good), new("pad", new string('x', 100_000))])),
            "malformed multipart" => (ClickPath, MalformedMultipart()),
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };

        using (post.Content)
        {
            using var response = await Post(post.Path, post.Content, visitor);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Empty(shared.Recorder.AcceptedClicks(visitor));
        }
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task OtherMethods_Answer405AndRecordNothing(string method)
    {
        var visitor = NewVisitor();
        using var request = new HttpRequestMessage(new HttpMethod(method), Query(Mint(shared.App.Services, "/landing/hero")));
        request.Headers.Add("Cookie", $"ssp_vid={visitor}");

        using var response = await shared.App.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Empty(shared.Recorder.AcceptedClicks(visitor));
    }

    [Theory]
    [InlineData("cta", "/landing/hero", "cta", null)]
    [InlineData("scoped", "/scoped", null, null)]
    [InlineData("relative", "/Tags/relative/page?x=1", null, null)]
    [InlineData("dynamic", "/search?q=a&b=%C3%A9", null, null)]
    [InlineData("external", "https://shop.example/x", null, "slot-1")]
    [InlineData("subdomain", "https://a.b.example.com/y", null, null)]
    public async Task TrackedLink_Followed_RedirectsToItsTargetWithItsElementAndSlot(string id, string location, string? elementId, string? slotId)
    {
        var visitor = NewVisitor();
        var page = await shared.App.GetPageAsync("/Tags/Click", Cookie(visitor));
        var href = Href(page, id);
        Assert.StartsWith(ClickPath + "?t=", href, StringComparison.Ordinal);

        using var response = await shared.App.GetAsync(href, Cookie(visitor));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
        var click = Assert.Single(shared.Recorder.AcceptedClicks(visitor));
        Assert.Equal(("hero", elementId, slotId), (click.ExperienceKey, click.ElementId, click.SlotId));
        Assert.Equal("Local", click.Attribution!.Vendor);
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("GET", false)]
    [InlineData("POST", true)]
    [InlineData("POST", false)]
    public async Task TrackedLink_OpenedBySomeoneElse_AnsweredAsUsualButNoClickReportedAndCountedForeign(string method, bool clickerHasAVisitorCookie)
    {
        using var files = new ExperienceFiles();
        var recorder = new RecordingDestination();
        await using var app = await TestApp.StartAsync(Settings(files), services => services.AddSingleton<ITrackingDestination>(recorder));
        using var metrics = new MetricsCollector(app.Services);
        var owner = NewVisitor();
        var other = NewVisitor();
        var href = Href(await app.GetPageAsync("/Tags/Click", Cookie(owner)), "cta");

        // A shared or pasted link, or (without a cookie) a mail scanner following it.
        using (var foreign = await Send(app, new HttpMethod(method), href, clickerHasAVisitorCookie ? other : null))
        {
            if (method == "GET")
            {
                Assert.Equal(HttpStatusCode.Found, foreign.StatusCode);
                Assert.Equal("/landing/hero", foreign.Headers.Location?.OriginalString);
            }
            else
            {
                Assert.Equal(HttpStatusCode.NoContent, foreign.StatusCode);
                Assert.Null(foreign.Headers.Location);
            }

            Assert.Equal("no-store", foreign.Headers.CacheControl?.ToString());
        }

        Assert.Empty(recorder.AllAcceptedClicks());
        Assert.Equal(1, metrics.Sum(PersonalizationTelemetry.ForeignClicks));
        var logged = Assert.Single(app.Logs.Named("ForeignClick"));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, logged.Level);
        Assert.Contains("hero", logged.Message, StringComparison.Ordinal);
        foreach (var id in new[] { owner, other, OwnerHash(app.Services, owner), OwnerHash(app.Services, other) })
        {
            Assert.DoesNotContain(id, app.Logs.AllText, StringComparison.Ordinal);
        }

        // The same link opened by its owner is reported: the zero above is the owner check, not a broken link.
        using var own = await Send(app, new HttpMethod(method), href, owner);
        Assert.Single(recorder.AcceptedClicks(owner));
        Assert.Single(recorder.AllAcceptedClicks());
        Assert.Equal(1, metrics.Sum(PersonalizationTelemetry.ForeignClicks));
    }

    [Fact]
    public async Task TrackedLink_OpenedByTheVisitorItWasRenderedFor_ReportsOneClickAndNoForeignOne()
    {
        using var metrics = new MetricsCollector(shared.App.Services);
        var visitor = NewVisitor();
        var href = Href(await shared.App.GetPageAsync("/Tags/Click", Cookie(visitor)), "cta");

        using var response = await Send(shared.App, HttpMethod.Get, href, visitor);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Single(shared.Recorder.AcceptedClicks(visitor));
        Assert.Equal(0, metrics.Sum(PersonalizationTelemetry.ForeignClicks));
    }

    [Fact]
    public async Task TrackedLink_RenderedAnonymouslyThenSignedIn_ReportsOneClickForTheCustomer()
    {
        using var metrics = new MetricsCollector(shared.App.Services);
        var visitor = NewVisitor();
        var customer = $"c-{Guid.NewGuid():N}";
        var href = Href(await shared.App.GetPageAsync("/Tags/Click", Cookie(visitor)), "cta");

        using var response = await Send(shared.App, HttpMethod.Get, href, visitor, customer);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var click = Assert.Single(shared.Recorder.AcceptedClicks(visitor));
        Assert.Equal(customer, click.Identity.CustomerId);
        Assert.Equal(0, metrics.Sum(PersonalizationTelemetry.ForeignClicks));
    }

    [Theory]
    [InlineData("the same customer", 1)]
    [InlineData("another customer", 0)]
    [InlineData("nobody signed in", 0)]
    public async Task TrackedLink_RenderedSignedIn_OpenedOnAnotherDevice_ReportsTheClickOnlyForTheSameCustomer(string clicker, int clicks)
    {
        using var metrics = new MetricsCollector(shared.App.Services);
        var customer = $"c-{Guid.NewGuid():N}";
        using var page = await Send(shared.App, HttpMethod.Get, "/Tags/Click", NewVisitor(), customer);
        var href = Href(await page.Content.ReadAsStringAsync(), "cta");
        var otherDevice = NewVisitor();

        using var response = await Send(shared.App, HttpMethod.Get, href, otherDevice, clicker switch
        {
            "the same customer" => customer,
            "another customer" => $"c-{Guid.NewGuid():N}",
            _ => null,
        });

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(clicks, shared.Recorder.AcceptedClicks(otherDevice).Count);
        Assert.Equal(1 - clicks, metrics.Sum(PersonalizationTelemetry.ForeignClicks));
    }

    [Fact]
    public async Task TrackedLink_RenderedForAVisitorWithoutIds_ReportsTheClickOfWhoeverOpensIt()
    {
        using var files = new ExperienceFiles();
        var settings = Settings(files);
        settings["Personalization:Identity:IssueVisitorCookie"] = "false";
        var recorder = new RecordingDestination();
        await using var app = await TestApp.StartAsync(settings, services => services.AddSingleton<ITrackingDestination>(recorder));
        using var metrics = new MetricsCollector(app.Services);
        using var page = await app.GetAsync("/Tags/Click");
        Assert.False(page.Headers.Contains("Set-Cookie"));
        var href = Href(await page.Content.ReadAsStringAsync(), "cta");
        var visitor = NewVisitor();

        using var response = await Send(app, HttpMethod.Get, href, visitor);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Single(recorder.AcceptedClicks(visitor));
        Assert.Equal(0, metrics.Sum(PersonalizationTelemetry.ForeignClicks));
    }

    [Theory]
    [InlineData("absent", "/plain?a=1&b=2")]
    [InlineData("apex", "https://example.com/z")]
    [InlineData("unsafe", "//evil.example/x")]
    public async Task UntrackedLink_KeepsItsOwnHref(string id, string href)
    {
        var page = await shared.App.GetPageAsync("/Tags/Click", Cookie(NewVisitor()));

        Assert.Equal(href, Href(page, id));
    }

    [Fact]
    public async Task UntrackedLink_HrefNotAllowed_IsLoggedWithoutTheUrl()
    {
        using var files = new ExperienceFiles();
        await using var app = await TestApp.StartAsync(Settings(files));

        await app.GetPageAsync("/Tags/Click", Cookie(NewVisitor()));

        var logged = app.Logs.Named("UntrackableLink");
        Assert.Equal(2, logged.Count);
        Assert.All(logged, l => Assert.DoesNotContain("example", l.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenderedLink_AppWithPathBase_PointsAtThePrefixedEndpointAndResolvesRelativeLinksUnderIt()
    {
        using var files = new ExperienceFiles();
        await using var app = await TestApp.StartAsync(Settings(files), beforePersonalization: web =>
        {
            web.UsePathBase("/shop");
            web.UseRouting();
        });
        var page = await app.GetPageAsync("/shop/Tags/Click", Cookie(NewVisitor()));

        var cta = Href(page, "cta");
        var relative = Href(page, "relative");
        using var toCta = await app.GetAsync(cta);
        using var toRelative = await app.GetAsync(relative);

        Assert.Matches("^/shop/_personalization/click\\?t=[A-Za-z0-9_-]+$", cta);
        Assert.Equal(HttpStatusCode.Found, toCta.StatusCode);
        Assert.Equal("/landing/hero", toCta.Headers.Location?.OriginalString);
        Assert.Equal("/shop/Tags/relative/page?x=1", toRelative.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Get_ConfiguredPath_IsWhereTheEndpointAndTheLinksAre()
    {
        using var files = new ExperienceFiles();
        var settings = Settings(files);
        settings["Personalization:Clicks:Path"] = "/go";
        await using var app = await TestApp.StartAsync(settings);
        var page = await app.GetPageAsync("/Tags/Click", Cookie(NewVisitor()));

        var href = Href(page, "cta");
        using var response = await app.GetAsync(href);
        using var oldPath = await app.GetAsync(ClickPath + href[href.IndexOf('?', StringComparison.Ordinal)..]);

        Assert.StartsWith("/go?t=", href, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, oldPath.StatusCode);
    }

    [Fact]
    public async Task Get_DestinationThatNeverAnswers_StillRedirectsAtOnce()
    {
        using var files = new ExperienceFiles();
        var gate = new TaskCompletionSource();
        var recorder = new RecordingDestination { Gate = gate };
        await using var app = await TestApp.StartAsync(Settings(files), services => services.AddSingleton<ITrackingDestination>(recorder));
        var visitor = NewVisitor();
        try
        {
            using var response = await app.GetAsync(Query(Mint(app.Services, "/landing/hero")), Cookie(visitor)).WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Single(recorder.AcceptedClicks(visitor));
            Assert.Empty(recorder.Delivered);
        }
        finally
        {
            // Let the app drain and stop promptly.
            gate.SetResult();
        }
    }

    [Fact]
    public async Task Get_EndpointReachedWithoutThePersonalizationMiddleware_StillRecordsTheVisitorsClick()
    {
        using var files = new ExperienceFiles();
        var recorder = new RecordingDestination();

        // Runs the matched endpoint directly, before UseServerSidePersonalization, as a branch without it would.
        await using var app = await TestApp.StartAsync(
            Settings(files),
            services => services.AddSingleton<ITrackingDestination>(recorder),
            beforePersonalization: web => web.Use((context, next) =>
                context.Request.Headers.ContainsKey("X-Bypass") && context.GetEndpoint() is { RequestDelegate: { } endpoint }
                    ? endpoint(context)
                    : next(context)));
        var visitor = NewVisitor();
        using var request = new HttpRequestMessage(HttpMethod.Get, Query(Mint(app.Services, "/landing/hero")));
        request.Headers.Add("Cookie", $"ssp_vid={visitor}");
        request.Headers.Add("X-Bypass", "1");

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Single(recorder.AcceptedClicks(visitor));
    }

    [Fact]
    public async Task MapPersonalizationClicks_WithoutAddServerSidePersonalization_SaysWhatIsMissing()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapPersonalizationClicks());

        Assert.Contains("AddServerSidePersonalization()", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(ExperienceFiles files) => new()
    {
        ["Personalization:Local:File"] = files.WriteSingle(("hero", new { Title = "Hello", CtaUrl = "/landing/hero" })),
        ["Personalization:Clicks:AllowedHosts:0"] = "shop.example",
        ["Personalization:Clicks:AllowedHosts:1"] = "allowed.example",
        ["Personalization:Clicks:AllowedHosts:2"] = "*.example.com",
        ["Personalization:Tracking:FlushInterval"] = "00:00:00.050",
    };

    private static string NewVisitor() => $"v-{Guid.NewGuid():N}";

    private static (string, string)[] Cookie(string visitor) => [("ssp_vid", visitor)];

    private static ClickTokens Tokens(IServiceProvider services) => services.GetRequiredService<ClickTokens>();

    private static ClickToken Token(string target)
    {
        using var context = JsonDocument.Parse("""{"variant":"only"}""");
        return ClickToken.Create("hero", new ExperienceAttribution("Local", context.RootElement.Clone(), "only"), "cta", null, target, VisitorIdentity.Anonymous);
    }

    /// <summary>The payload of a version 1 token (JSON sealed by Data Protection); links minted before version 2 fail cleanly.</summary>
    private static byte[] TokenJson(string target) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["k"] = "hero", ["v"] = "Local", ["c"] = new { variant = "only" }, ["vi"] = "only", ["e"] = "cta", ["u"] = target });

    private static DateTimeOffset Now(IServiceProvider services) => services.GetRequiredService<TimeProvider>().GetUtcNow();

    private static string AnotherKeyRing(string target)
    {
        using var ring = new TestKeyRing();
        return ring.Tokens().Protect(Token(target));
    }

    /// <summary>The owner hash of <paramref name="id"/> under the app's current click key, as hex.</summary>
    private static string OwnerHash(IServiceProvider services, string id)
    {
        var hash = new byte[ClickOwner.HashBytes];
        ClickOwner.Hash(services.GetRequiredService<ClickKeys>().Signing()!.Owner, id, hash);
        return Convert.ToHexStringLower(hash);
    }

    private static string Mint(IServiceProvider services, string target) => Tokens(services).Protect(Token(target));

    private static string Seal(IDataProtectionProvider provider, string purpose, byte[] json) =>
        Base64Url.EncodeToString(provider.CreateProtector(purpose).ToTimeLimitedDataProtector().Protect(json, DateTimeOffset.UtcNow.AddDays(1)));

    private static string Query(string token) => ClickPath + "?t=" + Uri.EscapeDataString(token);

    /// <summary>Changes one character: the first (0), the middle (0.5), the last (1).</summary>
    private static string Tamper(string token, double where)
    {
        var at = (int)Math.Round(where * (token.Length - 1));
        var replacement = token[at] == 'A' ? 'B' : 'A';
        return string.Concat(token.AsSpan(0, at), [replacement], token.AsSpan(at + 1));
    }

    private static string Half(string token) => token[..(token.Length / 2)];

    private static FormUrlEncodedContent Form(string token) => new([new("t", token)]);

    private static StringContent MalformedMultipart()
    {
        var content = new StringContent("--b\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nunterminated", Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        return content;
    }

    /// <summary>Sends as <paramref name="visitor"/> (no cookie when null), signed in as <paramref name="customer"/> when set.</summary>
    private static Task<HttpResponseMessage> Send(TestApp app, HttpMethod method, string path, string? visitor, string? customer = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (visitor is not null)
        {
            request.Headers.Add("Cookie", $"ssp_vid={visitor}");
        }

        if (customer is not null)
        {
            request.Headers.Add(TestUser.HeaderPrefix + "nameid", customer);
        }

        return app.Client.SendAsync(request);
    }

    private Task<HttpResponseMessage> Post(string path, HttpContent content, string visitor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("Cookie", $"ssp_vid={visitor}");
        return shared.App.Client.SendAsync(request);
    }

    private static string Href(string page, string id)
    {
        var match = Regex.Match(page, $"<a id=\"{id}\" href=\"(?<href>[^\"]*)\"");
        Assert.True(match.Success, $"no <a id=\"{id}\" href=...> in the page");
        return WebUtility.HtmlDecode(match.Groups["href"].Value);
    }

    /// <summary>A Location the endpoint may send: a local path, or an http(s) URL on one of the test's allowed hosts.</summary>
    private static bool IsLocalOrAllowed(string location)
    {
        if (location.AsSpan().ContainsAnyExceptInRange('!', '~') || location.Contains('\\', StringComparison.Ordinal))
        {
            return false;
        }

        if (location.StartsWith('/'))
        {
            return !location.StartsWith("//", StringComparison.Ordinal);
        }

        return Uri.TryCreate(location, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && uri.UserInfo.Length == 0
            && (uri.Host is "shop.example" or "allowed.example" || uri.Host.EndsWith(".example.com", StringComparison.Ordinal));
    }

    /// <summary>One Local-provider app shared by the tests that need no configuration of their own.</summary>
    public sealed class SharedApp : IAsyncLifetime, IDisposable
    {
        private readonly ExperienceFiles _files = new();
        private TestApp? _app;

        internal TestApp App => _app ?? throw new InvalidOperationException("Not started.");

        internal RecordingDestination Recorder { get; } = new();

        public async Task InitializeAsync() =>
            _app = await TestApp.StartAsync(
                Settings(_files), services => services.AddSingleton<ITrackingDestination>(Recorder), beforePersonalization: web => web.UseTestUser());

        public async Task DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }

        public void Dispose() => _files.Dispose();
    }
}
