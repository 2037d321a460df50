using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Vendors.MoEngage;

/// <summary>
/// The MoEngage provider end to end: a real app on the test server, the real HTTP client and JSON, and a stub MoEngage
/// on loopback Kestrel.
/// </summary>
public sealed class MoEngageExperienceProviderTests : IAsyncLifetime
{
    private StubVendorServer _stub = null!;

    public async Task InitializeAsync() => _stub = await StubVendorServer.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task Fetch_AnonymousVisitorWithMoeUuid_SendsTheDocumentedRequest()
    {
        _stub.Respond = MoEngageStub.Answer();
        var wednesdayMorning = new DateTimeOffset(2026, 11, 18, 7, 30, 0, TimeSpan.Zero);
        await using var app = await StartAppAsync(
            new FakeTimeProvider(wednesdayMorning),
            ("Personalization:Context:Attributes:utm_source", "query:utm_source"),
            ("Personalization:Context:Attributes:user_timezone_offset", "cookie:tz"));

        var request = new HttpRequestMessage(HttpMethod.Get, "/Tags/Hero?utm_source=newsletter");
        request.Headers.Add("Cookie", "ssp_vid=visitor-1; moe_uuid=device-9; tz=19800");
        request.Headers.Add("User-Agent", "TestBrowser/1.0");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_stub.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/experiences/fetch", sent.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{MoEngageStub.WorkspaceId}:{MoEngageStub.ApiKey}")), sent.Header("Authorization"));
        Assert.Equal(MoEngageStub.WorkspaceId, sent.Header("MOE-APPKEY"));
        Assert.Equal("application/json", sent.Header("Content-Type"));

        // MoEngage's device id alone identifies an anonymous visitor (not the site's cookie); the time zone is an
        // events field and stays out.
        var expected = JsonNode.Parse("""
            {
              "visitor_id": "device-9",
              "experience_key": ["hero"],
              "utm_source": "newsletter",
              "DAY_OF_THE_WEEK": "Wednesday",
              "TIME_OF_THE_DAY": "07",
              "USER_IP_ADDRESS": "203.0.113.7",
              "USER_AGENT": "TestBrowser/1.0"
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(sent.Text)), sent.Text);

        Assert.Contains("<h1>Title of hero</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.1.2.3", "203.0.113.7", 0)]
    [InlineData("192.168.1.9", "192.168.1.9", 1)]
    public async Task Fetch_BehindAProxy_ClientsAddressOnlyFromAKnownProxyElseOneWarning(string proxy, string expectedIp, int warnings)
    {
        // The README's configuration: the proxy's network (10.0.0.0/8) is known; 192.168.1.9 is a proxy nobody configured.
        _stub.Respond = MoEngageStub.Answer();
        await using var app = await TestApp.StartAsync(
            MoEngageStub.Settings(_stub),
            services => services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("10.0.0.0/8"));
            }),
            beforePersonalization: app => app.UseForwardedHeaders());

        var context = await app.SendRawAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = "/Tags/Hero";
            c.Request.Headers.Cookie = "ssp_vid=visitor-1";
            c.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
            c.Connection.RemoteIpAddress = IPAddress.Parse(proxy);
        });

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal(expectedIp, Assert.Single(_stub.Requests).Json.GetProperty("USER_IP_ADDRESS").GetString());
        Assert.Equal(warnings, app.Logs.Named("ForwardedForNotApplied").Count);
    }

    [Fact]
    public async Task Fetch_SignedInCustomer_SendsCustomerIdAndNoVisitorId()
    {
        _stub.Respond = MoEngageStub.Answer();
        await using var app = await StartAppAsync();

        var request = new HttpRequestMessage(HttpMethod.Get, "/Tags/Hero");
        request.Headers.Add("Cookie", "ssp_vid=visitor-1; moe_uuid=device-9");
        request.Headers.Add(TestUser.HeaderPrefix + "nameid", "customer-42");
        using var response = await app.Client.SendAsync(request);

        var body = Assert.Single(_stub.Requests).Json;
        Assert.Equal("customer-42", body.GetProperty("customer_id").GetString());
        Assert.False(body.TryGetProperty("visitor_id", out _), "The device id is sent only when there is no unique identifier.");
    }

    public static TheoryData<string> FailingAnswers => ["400", "401", "403", "429", "500", "503", "malformed", "truncated", "wrong-shape", "10MB-chunked", "10MB-length"];

    [Theory]
    [MemberData(nameof(FailingAnswers))]
    public async Task Fetch_VendorFails_PageRendersFallbackWith200(string answer)
    {
        _stub.Respond = answer switch
        {
            "malformed" => _ => StubResponse.Json("""{"experiences": {"hero": {"payload": {"Title": {"value": "x",}"""),
            "truncated" => _ => StubResponse.Json("""{"experiences": {"hero": """),
            "wrong-shape" => _ => StubResponse.Json("""{"experiences": ["hero"]}"""),
            "10MB-chunked" => _ => new StubResponse(200, Writer: response => WriteLargeAsync(response, setLength: false)),
            "10MB-length" => _ => new StubResponse(200, Writer: response => WriteLargeAsync(response, setLength: true)),
            _ => _ => StubResponse.Json("""{"title":"Bad","description":"nope"}""", int.Parse(answer, System.Globalization.CultureInfo.InvariantCulture)),
        };
        await using var app = await StartAppAsync();

        var page = await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Contains("<h1>Fallback hero</h1>", page, StringComparison.Ordinal);
        Assert.Contains("id=\"standalone-fallback\"", page, StringComparison.Ordinal);
        Assert.Single(_stub.Requests);
        Assert.DoesNotContain(MoEngageStub.ApiKey, app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_KeyAbsentFromAnswer_RendersFallbackWithoutLoggingAnError()
    {
        _stub.Respond = MoEngageStub.Answer(has: _ => false);
        await using var app = await StartAppAsync();

        var page = await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Contains("<h1>Fallback hero</h1>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task Fetch_VendorHangs_PageRendersTheFallbackWhenTheBudgetElapses()
    {
        // The budget runs on the app's clock, so a fake clock decides when it is over; the vendor answers only when the
        // test lets it, after the page. HttpTimeout is far away so that only the budget can end the wait.
        var clock = new ObservedClock(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var vendor = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await StartAppAsync(clock, ("Personalization:MoEngage:Timeout", "00:00:00.300"), ("Personalization:MoEngage:HttpTimeout", "00:00:30"));
        _stub.Respond = _ => new StubResponse(200, Writer: async response =>
        {
            await vendor.Task;
            await response.WriteAsync("""{"experiences":{}}""");
        });
        try
        {
            var page = app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
            Assert.True(await Eventually.TrueAsync(() => !_stub.Requests.IsEmpty && clock.HasTimer(TimeSpan.FromMilliseconds(300))));

            clock.Advance(TimeSpan.FromMilliseconds(299));
            var waitingAtTheBudget = page.IsCompleted;
            clock.Advance(TimeSpan.FromMilliseconds(1));
            var html = await page.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.False(waitingAtTheBudget, "The page stopped waiting before its budget was over.");
            Assert.Contains("<h1>Fallback hero</h1>", html, StringComparison.Ordinal);
            Assert.False(vendor.Task.IsCompleted);
            Assert.Single(app.Logs.Named("BudgetExceeded"));
        }
        finally
        {
            vendor.TrySetResult();
        }
    }

    [Fact]
    public async Task Fetch_Unauthorized_LogsOneConfigurationErrorAMinuteWithoutTheKey()
    {
        _stub.Respond = _ => StubResponse.Json("""{"title":"Authorization Failed","description":"bad key"}""", 401);
        var time = new ObservedClock();
        await using var app = await StartAppAsync(time);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-2"));
        var first = Assert.Single(app.Logs.Named("MoEngageConfigurationError"));
        time.Advance(TimeSpan.FromMinutes(1));
        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-3"));

        Assert.Equal(3, _stub.Requests.Count);
        Assert.Contains("401", first.Message, StringComparison.Ordinal);
        Assert.Contains("Authorization Failed", first.Message, StringComparison.Ordinal);
        var errors = app.Logs.Named("MoEngageConfigurationError");
        Assert.Equal(2, errors.Count);
        Assert.Contains("1 similar", errors[1].Message, StringComparison.Ordinal);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{MoEngageStub.WorkspaceId}:{MoEngageStub.ApiKey}"));
        Assert.DoesNotContain(MoEngageStub.ApiKey, app.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(basic, app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_ThirtyDeclaredKeys_TwoCallsOf25And5()
    {
        _stub.Respond = MoEngageStub.Answer();
        var keys = Enumerable.Range(0, 30).Select(i => $"key-{i:00}").ToArray();
        await using var app = await StartAppAsync(
            null, [.. keys.Select((k, i) => ($"Personalization:Experiences:{i}", (string?)k))]);

        var page = await app.GetPageAsync("/Tags/Many", ("ssp_vid", "visitor-1"));

        var calls = _stub.Requests.Select(MoEngageStub.Keys).OrderByDescending(k => k.Count).ToList();
        Assert.Equal([25, 5], calls.Select(c => c.Count));
        Assert.Equal(keys, calls.SelectMany(c => c).Order(StringComparer.Ordinal));
        Assert.Equal(30, CountOccurrences(page, "class=\"found\""));
        Assert.Equal(0, CountOccurrences(page, "class=\"fallback\""));
    }

    [Fact]
    public async Task Fetch_OneOfTwoChunksFails_KeysOfTheOtherStillRender()
    {
        _stub.Respond = request => MoEngageStub.Keys(request).Count == 25
            ? StubResponse.Json("{}", 500)
            : MoEngageStub.Answer()(request);
        var keys = Enumerable.Range(0, 30).Select(i => $"key-{i:00}").ToArray();
        await using var app = await StartAppAsync(
            null, [.. keys.Select((k, i) => ($"Personalization:Experiences:{i}", (string?)k))]);

        var page = await app.GetPageAsync("/Tags/Many", ("ssp_vid", "visitor-1"));

        Assert.Equal(5, CountOccurrences(page, "class=\"found\""));
        Assert.Equal(25, CountOccurrences(page, "class=\"fallback\""));
    }

    [Fact]
    public async Task Fetch_DataCenter_ResolvesTheDocumentedHost()
    {
        var options = new ServerSidePersonalization.Vendors.MoEngage.MoEngageOptions { DataCenter = "03" };
        Assert.Equal(new Uri("https://sdk-03.moengage.com/"), options.ResolveBaseUrl());
        options.BaseUrl = "http://127.0.0.1:9/proxy";
        Assert.Equal(new Uri("http://127.0.0.1:9/proxy/v1/experiences/fetch"), new Uri(options.ResolveBaseUrl(), "v1/experiences/fetch"));
    }

    private Task<TestApp> StartAppAsync(TimeProvider? time = null, params (string Key, string? Value)[] extra) =>
        TestApp.StartAsync(
            MoEngageStub.Settings(_stub, extra),
            services: services => services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
                o.KnownIPNetworks.Clear();
                o.KnownProxies.Clear();
            }),
            beforePersonalization: app =>
            {
                app.UseForwardedHeaders();
                app.UseTestUser();
            },
            time: time);

    private static async Task WriteLargeAsync(Microsoft.AspNetCore.Http.HttpResponse response, bool setLength)
    {
        const int size = 10 * 1024 * 1024;
        var prefix = Encoding.UTF8.GetBytes("""{"experiences":{"hero":{"payload":{"Title":{"value":" """);
        var suffix = Encoding.UTF8.GetBytes("\",\"data_type\":\"string\"}}}}}");
        if (setLength)
        {
            response.ContentLength = size;
        }

        response.ContentType = "application/json";
        try
        {
            await response.Body.WriteAsync(prefix);
            var chunk = Encoding.UTF8.GetBytes(new string('a', 64 * 1024));
            for (var written = prefix.Length; written < size - suffix.Length - chunk.Length; written += chunk.Length)
            {
                await response.Body.WriteAsync(chunk);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client stopped reading at its cap: that is the point.
        }
    }

    private static int CountOccurrences(string text, string value) =>
        (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;
}
