using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Identity;

/// <summary>
/// Identity resolution end to end: a real app on the test server, ids offered by claims, a trusted header and cookies,
/// and the visitor cookie the library issues.
/// </summary>
public sealed class IdentityResolverTests
{
    private const string CustomerHeader = "X-Customer-Id";
    private const string VisitorCookie = "ssp_vid";
    private const string NameIdClaim = TestUser.HeaderPrefix + "nameid";
    private const string SubClaim = TestUser.HeaderPrefix + "sub";

    private static readonly Dictionary<string, string> Hostile = new(StringComparer.Ordinal)
    {
        ["10KB"] = new string('v', 10 * 1024),
        ["CRLF"] = "visitor\r\nSet-Cookie: injected=1",
        ["Latin1"] = "visitor-é",
        ["CJK"] = "訪問者",
        ["Empty"] = string.Empty,
        ["Whitespace"] = "   ",
        ["Semicolon"] = "visitor;admin=1",
        ["Quote"] = "\"visitor\"",
    };

    public static TheoryData<string> HostileValues => [.. Hostile.Keys];

    // A raw ';' in a Cookie header separates cookies (the value would be the valid "visitor"), so it has no raw form.
    public static TheoryData<string> HostileRawCookieValues => [.. Hostile.Keys.Where(k => k != "Semicolon")];

    [Theory]
    [InlineData(NameIdClaim)]
    [InlineData(SubClaim)]
    public async Task Resolve_SignedInUserClaim_IsCustomerId(string claimHeader)
    {
        await using var app = await TestApp.StartAsync(beforePersonalization: a => a.UseTestUser());

        var (identity, _) = await GetIdentityAsync(app, r => r.Headers.Add(claimHeader, "customer-42"));

        Assert.Equal("customer-42", identity.CustomerId);
        Assert.Equal("customer-42", identity.Identifiers["claim"]);
    }

    [Fact]
    public async Task Resolve_NameIdentifierAndSubClaims_NameIdentifierWins()
    {
        await using var app = await TestApp.StartAsync(beforePersonalization: a => a.UseTestUser());

        var (identity, _) = await GetIdentityAsync(app, r =>
        {
            r.Headers.Add(SubClaim, "subject-7");
            r.Headers.Add(NameIdClaim, "customer-42");
        });

        Assert.Equal("customer-42", identity.CustomerId);
    }

    [Fact]
    public async Task Resolve_TrustedHeaderConfigured_IsCustomerId()
    {
        await using var app = await TestApp.StartAsync(Settings(("Personalization:Identity:CustomerIdHeader", CustomerHeader)));

        var (identity, _) = await GetIdentityAsync(app, r => r.Headers.Add(CustomerHeader, "customer-42"));

        Assert.Equal("customer-42", identity.CustomerId);
        Assert.Equal("customer-42", identity.Identifiers["header"]);
    }

    [Fact]
    public async Task Resolve_TrustedHeaderNotConfigured_HeaderIgnored()
    {
        await using var app = await TestApp.StartAsync();

        var (identity, _) = await GetIdentityAsync(app, r => r.Headers.Add(CustomerHeader, "customer-42"));

        Assert.Null(identity.CustomerId);
        Assert.DoesNotContain("header", identity.Identifiers.Keys);
        Assert.DoesNotContain("customer-42", identity.Identifiers.Values);
    }

    [Fact]
    public async Task Resolve_TrustedHeaderSentTwice_HeaderIgnored()
    {
        await using var app = await TestApp.StartAsync(Settings(("Personalization:Identity:CustomerIdHeader", CustomerHeader)));

        var (identity, _) = await GetIdentityAsync(app, r => r.Headers.Add(CustomerHeader, ["customer-42", "customer-43"]));

        Assert.Null(identity.CustomerId);
        Assert.DoesNotContain("header", identity.Identifiers.Keys);
    }

    [Fact]
    public async Task Resolve_VisitorCookie_IsVisitorIdAndNoCookieIssued()
    {
        await using var app = await TestApp.StartAsync();

        var (identity, setCookies) = await GetIdentityAsync(app, cookies: [(VisitorCookie, "visitor-1")]);

        Assert.Equal("visitor-1", identity.VisitorId);
        Assert.False(identity.IsNewVisitor);
        Assert.Equal("visitor-1", identity.Identifiers[VisitorCookie]);
        Assert.Empty(setCookies);
    }

    [Fact]
    public async Task Resolve_CustomVisitorCookieName_ReadsThatCookieOnly()
    {
        await using var app = await TestApp.StartAsync(Settings(("Personalization:Identity:VisitorCookie", "shop_visitor")));

        var (identity, setCookies) = await GetIdentityAsync(app, cookies: [("shop_visitor", "visitor-1")]);

        Assert.Equal("visitor-1", identity.VisitorId);
        Assert.Equal("visitor-1", identity.Identifiers["shop_visitor"]);
        Assert.Empty(setCookies);
    }

    [Fact]
    public async Task Resolve_CustomVisitorCookieNameAndOnlyDefaultCookie_IssuesCustomCookie()
    {
        await using var app = await TestApp.StartAsync(Settings(("Personalization:Identity:VisitorCookie", "shop_visitor")));

        var (identity, setCookies) = await GetIdentityAsync(app, cookies: [(VisitorCookie, "visitor-1")]);

        var issued = SingleSetCookie(setCookies, "shop_visitor");
        Assert.True(identity.IsNewVisitor);
        Assert.Equal(issued.Value.Value, identity.VisitorId);
        Assert.Equal(issued.Value.Value, identity.Identifiers["shop_visitor"]);
        Assert.DoesNotContain(VisitorCookie, identity.Identifiers.Keys);
    }

    [Fact]
    public async Task Resolve_MoEngageCookie_IsVisitorId()
    {
        await using var app = await TestApp.StartAsync();

        var (identity, setCookies) = await GetIdentityAsync(app, cookies: [("moe_uuid", "device-9")]);

        Assert.Equal("device-9", identity.VisitorId);
        Assert.False(identity.IsNewVisitor);
        Assert.Equal("device-9", identity.Identifiers["moe_uuid"]);
        Assert.Empty(setCookies);
    }

    [Fact]
    public async Task Resolve_DynamicYieldUserCookie_IsVisitorId()
    {
        await using var app = await TestApp.StartAsync();

        var (identity, _) = await GetIdentityAsync(app, cookies: [("_dyid", "dy-1")]);

        Assert.Equal("dy-1", identity.VisitorId);
        Assert.Equal("dy-1", identity.Identifiers["_dyid"]);
    }

    [Fact]
    public async Task Resolve_DynamicYieldServerAndScriptCookies_ServerCookieWinsAndBothKept()
    {
        await using var app = await TestApp.StartAsync();

        var (identity, _) = await GetIdentityAsync(app, cookies: [("_dyid", "dy-script"), ("_dyid_server", "dy-server")]);

        Assert.Equal("dy-server", identity.VisitorId);
        Assert.Equal("dy-server", identity.Identifiers["_dyid_server"]);
        Assert.Equal("dy-script", identity.Identifiers["_dyid"]);
    }

    [Fact]
    public async Task Resolve_DynamicYieldSessionCookie_IsSessionId()
    {
        await using var app = await TestApp.StartAsync();

        var (identity, _) = await GetIdentityAsync(app, cookies: [(VisitorCookie, "visitor-1"), ("_dyjsession", "session-5")]);

        Assert.Equal("session-5", identity.SessionId);
        Assert.Equal("session-5", identity.Identifiers["_dyjsession"]);
        Assert.Equal("visitor-1", identity.VisitorId);
    }

    [Fact]
    public async Task Resolve_ClaimAndHeaderWithDefaultOrder_ClaimWinsAndBothKept()
    {
        await using var app = await TestApp.StartAsync(
            Settings(("Personalization:Identity:CustomerIdHeader", CustomerHeader)),
            beforePersonalization: a => a.UseTestUser());

        var (identity, _) = await GetIdentityAsync(app, r =>
        {
            r.Headers.Add(NameIdClaim, "from-claim");
            r.Headers.Add(CustomerHeader, "from-header");
        });

        Assert.Equal("from-claim", identity.CustomerId);
        Assert.Equal("from-claim", identity.Identifiers["claim"]);
        Assert.Equal("from-header", identity.Identifiers["header"]);
    }

    [Fact]
    public async Task Resolve_ConfiguredOrderHeaderBeforeClaims_HeaderWins()
    {
        await using var app = await TestApp.StartAsync(
            Settings(
                ("Personalization:Identity:CustomerIdHeader", CustomerHeader),
                ("Personalization:Identity:Order:0", "Header"),
                ("Personalization:Identity:Order:1", "Claims")),
            beforePersonalization: a => a.UseTestUser());

        var (identity, _) = await GetIdentityAsync(app, r =>
        {
            r.Headers.Add(NameIdClaim, "from-claim");
            r.Headers.Add(CustomerHeader, "from-header");
        });

        Assert.Equal("from-header", identity.CustomerId);
    }

    [Fact]
    public async Task Resolve_AllVisitorCookiesWithDefaultOrder_VisitorCookieWins()
    {
        await using var app = await TestApp.StartAsync();

        var (identity, _) = await GetIdentityAsync(app, cookies: [("_dyid", "dy-1"), ("moe_uuid", "moe-1"), (VisitorCookie, "own-1")]);

        Assert.Equal("own-1", identity.VisitorId);
        Assert.Equal("moe-1", identity.Identifiers["moe_uuid"]);
        Assert.Equal("dy-1", identity.Identifiers["_dyid"]);
    }

    [Fact]
    public async Task Resolve_MoEngageAndDynamicYieldWithDefaultOrder_MoEngageWins()
    {
        await using var app = await TestApp.StartAsync();

        var (identity, _) = await GetIdentityAsync(app, cookies: [("_dyid", "dy-1"), ("moe_uuid", "moe-1")]);

        Assert.Equal("moe-1", identity.VisitorId);
    }

    [Fact]
    public async Task Resolve_ConfiguredOrderReversed_DynamicYieldWins()
    {
        await using var app = await TestApp.StartAsync(Settings(
            ("Personalization:Identity:Order:0", "DynamicYield"),
            ("Personalization:Identity:Order:1", "MoEngage"),
            ("Personalization:Identity:Order:2", "VisitorCookie")));

        var (identity, _) = await GetIdentityAsync(app, cookies: [(VisitorCookie, "own-1"), ("moe_uuid", "moe-1"), ("_dyid", "dy-1")]);

        Assert.Equal("dy-1", identity.VisitorId);
        Assert.Equal("own-1", identity.Identifiers[VisitorCookie]);
    }

    [Fact]
    public async Task Resolve_ConfiguredOrderMoEngageFirst_MoEngageWins()
    {
        await using var app = await TestApp.StartAsync(Settings(
            ("Personalization:Identity:Order:0", "MoEngage"),
            ("Personalization:Identity:Order:1", "VisitorCookie")));

        var (identity, _) = await GetIdentityAsync(app, cookies: [(VisitorCookie, "own-1"), ("moe_uuid", "moe-1")]);

        Assert.Equal("moe-1", identity.VisitorId);
    }

    [Fact]
    public async Task StartAsync_UnknownSourceInOrder_FailsNamingTheKey()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(Settings(
            ("Personalization:Identity:Order:0", "Claims"),
            ("Personalization:Identity:Order:1", "Facebook"))));

        Assert.Contains("Personalization:Identity:Order", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Facebook", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>The identity keeps the id as found: hashing it is for the vendors whose documents ask for a hash.</summary>
    [Theory]
    [InlineData(NameIdClaim, "claim")]
    [InlineData(CustomerHeader, "header")]
    public async Task Resolve_EmailCustomerId_KeptAsFoundAndNeverLogged(string header, string origin)
    {
        const string email = "Jane.Doe@Example.COM";
        await using var app = await TestApp.StartAsync(
            Settings(("Personalization:Identity:CustomerIdHeader", CustomerHeader)),
            beforePersonalization: a => a.UseTestUser());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/identity");
        request.Headers.Add(header, email);
        using var response = await app.Client.SendAsync(request);
        var identity = (await response.Content.ReadFromJsonAsync<IdentityDto>())!;

        Assert.Equal(email, identity.CustomerId);
        Assert.Equal(email, identity.Identifiers[origin]);
        Assert.DoesNotContain("jane.doe", app.Logs.AllText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Sha256Hex("jane.doe@example.com"), app.Logs.AllText, StringComparison.Ordinal);
    }

    /// <summary>The obsolete key is still accepted, changes nothing and says so once at start-up.</summary>
    [Fact]
    public async Task Resolve_ObsoleteHashEmailCustomerIdsTrue_AddressKeptAndOneWarning()
    {
        await using var app = await TestApp.StartAsync(
            Settings(("Personalization:Identity:HashEmailCustomerIds", "true")),
            beforePersonalization: a => a.UseTestUser());

        var (first, _) = await GetIdentityAsync(app, r => r.Headers.Add(NameIdClaim, "jane@example.com"));
        var (second, _) = await GetIdentityAsync(app, r => r.Headers.Add(NameIdClaim, "jane@example.com"));

        Assert.Equal("jane@example.com", first.CustomerId);
        Assert.Equal("jane@example.com", second.CustomerId);
        Assert.Single(app.Logs.Named("HashEmailCustomerIdsIgnored"));
    }

    [Fact]
    public async Task Resolve_NewVisitorOverHttp_IssuesVisitorCookie()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await using var app = await TestApp.StartAsync(time: new FakeTimeProvider(now));

        var (identity, setCookies) = await GetIdentityAsync(app);

        var cookie = SingleSetCookie(setCookies, VisitorCookie);
        Assert.Matches("^[0-9a-f]{32}$", cookie.Value.Value);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Lax, cookie.SameSite);
        Assert.Equal("/", cookie.Path.Value);
        Assert.Equal(TimeSpan.FromSeconds(31_536_000), cookie.MaxAge);
        Assert.Equal(now.AddDays(365), cookie.Expires);
        Assert.False(cookie.Secure);
        Assert.True(identity.IsNewVisitor);
        Assert.Equal(cookie.Value.Value, identity.VisitorId);
        Assert.Equal(cookie.Value.Value, identity.Identifiers[VisitorCookie]);
    }

    [Fact]
    public async Task Resolve_NewVisitorOverHttps_IssuesSecureVisitorCookie()
    {
        await using var app = await TestApp.StartAsync();

        var context = await SendRawAsync(app, r => r.Scheme = "https");

        var cookie = SetCookieHeaderValue.Parse(Assert.Single(context.Response.Headers.SetCookie.ToArray())!);
        Assert.Equal(VisitorCookie, cookie.Name.Value);
        Assert.True(cookie.Secure);
        Assert.True(cookie.HttpOnly);
        var identity = await ReadIdentityAsync(context);
        Assert.True(identity.IsNewVisitor);
        Assert.Equal(cookie.Value.Value, identity.VisitorId);
    }

    [Fact]
    public async Task Resolve_TwoNewVisitors_GetDifferentIds()
    {
        await using var app = await TestApp.StartAsync();

        var (first, _) = await GetIdentityAsync(app);
        var (second, _) = await GetIdentityAsync(app);

        Assert.NotNull(first.VisitorId);
        Assert.NotNull(second.VisitorId);
        Assert.NotEqual(first.VisitorId, second.VisitorId);
    }

    [Fact]
    public async Task Resolve_ReturningWithIssuedCookie_KeepsIdWithoutNewCookie()
    {
        await using var app = await TestApp.StartAsync();
        var (_, first) = await GetIdentityAsync(app);
        var issued = SingleSetCookie(first, VisitorCookie).Value.Value!;

        var (identity, second) = await GetIdentityAsync(app, cookies: [(VisitorCookie, issued)]);

        Assert.Equal(issued, identity.VisitorId);
        Assert.False(identity.IsNewVisitor);
        Assert.Empty(second);
    }

    [Fact]
    public async Task Resolve_SignedInCustomerWithoutVisitorId_StillIssuesVisitorCookie()
    {
        await using var app = await TestApp.StartAsync(beforePersonalization: a => a.UseTestUser());

        var (identity, setCookies) = await GetIdentityAsync(app, r => r.Headers.Add(NameIdClaim, "customer-42"));

        var cookie = SingleSetCookie(setCookies, VisitorCookie);
        Assert.Equal("customer-42", identity.CustomerId);
        Assert.Equal(cookie.Value.Value, identity.VisitorId);
    }

    [Fact]
    public async Task Resolve_IssueVisitorCookieOff_IssuesNoCookie()
    {
        await using var app = await TestApp.StartAsync(Settings(("Personalization:Identity:IssueVisitorCookie", "false")));

        var (identity, setCookies) = await GetIdentityAsync(app);

        Assert.Empty(setCookies);
        Assert.Null(identity.VisitorId);
        Assert.False(identity.IsNewVisitor);
        Assert.Empty(identity.Identifiers);
    }

    [Fact]
    public async Task Resolve_ConsentRequiredAndNotGiven_IssuesNoCookie()
    {
        await using var app = await StartWithConsentRequiredAsync();

        var (identity, setCookies) = await GetIdentityAsync(app);

        Assert.DoesNotContain(setCookies, c => c.StartsWith(VisitorCookie + "=", StringComparison.Ordinal));
        Assert.Null(identity.VisitorId);
        Assert.False(identity.IsNewVisitor);
    }

    [Fact]
    public async Task Resolve_ConsentRequiredAndGiven_IssuesCookie()
    {
        await using var app = await StartWithConsentRequiredAsync();

        var (identity, setCookies) = await GetIdentityAsync(app, cookies: [(".AspNet.Consent", "yes")]);

        var cookie = SingleSetCookie(setCookies, VisitorCookie);
        Assert.True(identity.IsNewVisitor);
        Assert.Equal(cookie.Value.Value, identity.VisitorId);
    }

    [Theory]
    [MemberData(nameof(HostileValues))]
    public async Task Resolve_HostileVisitorCookieEscaped_IgnoredAndFreshIdIssued(string name)
    {
        var value = Hostile[name];
        await using var app = await TestApp.StartAsync();

        // Percent-encoded, as a browser would store it: the server decodes it back to the hostile value.
        var context = await SendRawAsync(app, r => r.Headers.Cookie = $"{VisitorCookie}={Uri.EscapeDataString(value)}");

        await AssertFreshVisitorAsync(app, context, value);
    }

    [Theory]
    [MemberData(nameof(HostileRawCookieValues))]
    public async Task Resolve_HostileVisitorCookieRaw_IgnoredAndFreshIdIssued(string name)
    {
        var value = Hostile[name];
        await using var app = await TestApp.StartAsync();

        var context = await SendRawAsync(app, r => r.Headers.Cookie = $"{VisitorCookie}={value}");

        await AssertFreshVisitorAsync(app, context, value);
    }

    [Theory]
    [MemberData(nameof(HostileValues))]
    public async Task Resolve_HostileCustomerIdHeader_Ignored(string name)
    {
        var value = Hostile[name];
        await using var app = await TestApp.StartAsync(Settings(("Personalization:Identity:CustomerIdHeader", CustomerHeader)));

        var context = await SendRawAsync(app, r =>
        {
            r.Headers[CustomerHeader] = value;
            r.Headers.Cookie = $"{VisitorCookie}=visitor-1";
        });

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        var identity = await ReadIdentityAsync(context);
        Assert.Null(identity.CustomerId);
        Assert.DoesNotContain("header", identity.Identifiers.Keys);
        Assert.Equal("visitor-1", identity.VisitorId);
        AssertNotEchoed(app, context, value);
    }

    private static async Task AssertFreshVisitorAsync(TestApp app, HttpContext context, string value)
    {
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        var cookie = SetCookieHeaderValue.Parse(Assert.Single(context.Response.Headers.SetCookie.ToArray())!);
        Assert.Equal(VisitorCookie, cookie.Name.Value);
        Assert.Matches("^[0-9a-f]{32}$", cookie.Value.Value);

        var identity = await ReadIdentityAsync(context);
        Assert.True(identity.IsNewVisitor);
        Assert.Equal(cookie.Value.Value, identity.VisitorId);
        Assert.Equal(cookie.Value.Value, Assert.Single(identity.Identifiers, i => i.Key == VisitorCookie).Value);
        Assert.DoesNotContain(value, identity.Identifiers.Values);
        AssertNotEchoed(app, context, value);
    }

    /// <summary>A rejected value shows up in no response header and no log line.</summary>
    private static void AssertNotEchoed(TestApp app, HttpContext context, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        var escaped = Uri.EscapeDataString(value);
        foreach (var (header, values) in context.Response.Headers)
        {
            foreach (var headerValue in values)
            {
                Assert.DoesNotContain(value, headerValue ?? string.Empty, StringComparison.Ordinal);
                Assert.DoesNotContain(escaped, headerValue ?? string.Empty, StringComparison.Ordinal);
            }

            Assert.NotEqual("injected", header, StringComparer.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain(value, app.Logs.AllText, StringComparison.Ordinal);
    }

    private static Task<TestApp> StartWithConsentRequiredAsync() => TestApp.StartAsync(
        services: s => s.Configure<CookiePolicyOptions>(o => o.CheckConsentNeeded = _ => true),
        beforePersonalization: a => a.UseCookiePolicy());

    /// <summary>GETs /identity; returns the identity and the response's Set-Cookie values (the page must answer 200).</summary>
    private static async Task<(IdentityDto Identity, string[] SetCookies)> GetIdentityAsync(
        TestApp app,
        Action<HttpRequestMessage>? configure = null,
        params (string Name, string Value)[] cookies)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/identity");
        if (cookies.Length > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        }

        configure?.Invoke(request);
        using var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string[] setCookies = response.Headers.TryGetValues(HeaderNames.SetCookie, out var values) ? [.. values] : [];
        return ((await response.Content.ReadFromJsonAsync<IdentityDto>())!, setCookies);
    }

    private static Task<HttpContext> SendRawAsync(TestApp app, Action<HttpRequest> configure) => app.SendRawAsync(context =>
    {
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/identity";
        configure(context.Request);
    });

    // The test server's response stream reads from the start and cannot seek, so it is read as it is.
    private static async Task<IdentityDto> ReadIdentityAsync(HttpContext context) =>
        (await JsonSerializer.DeserializeAsync<IdentityDto>(context.Response.Body, JsonSerializerOptions.Web))!;

    private static SetCookieHeaderValue SingleSetCookie(string[] setCookies, string name)
    {
        var cookie = SetCookieHeaderValue.Parse(Assert.Single(setCookies));
        Assert.Equal(name, cookie.Name.Value);
        return cookie;
    }

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] settings) =>
        settings.ToDictionary(s => s.Key, s => (string?)s.Value, StringComparer.OrdinalIgnoreCase);

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
