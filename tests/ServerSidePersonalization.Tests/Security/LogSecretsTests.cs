using System.Collections;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.DynamicYield;
using ServerSidePersonalization.Tests.Vendors.MoEngage;

namespace ServerSidePersonalization.Tests.Security;

/// <summary>
/// Issue 11, item 5: no API key, secret, bearer token, raw or hashed email, full cookie value or click token appears in
/// any log line at any level. Each case runs a whole scenario (pages for a signed-in customer whose id is an email and
/// for anonymous visitors with distinctive cookies, tracked links followed valid, tampered and foreign, a hostile
/// request, impressions and clicks delivered against the answer under test) with every category logging at Trace, then
/// searches every formatted message, every structured state and scope value and every exception's text.
/// </summary>
public sealed class LogSecretsTests
{
    private const string Email = "Jane.Doe+LogSecret@Example.COM";
    private const string MoEngageKey = "moe-api-key-Z9q8W7e6R5t4";
    private const string DynamicYieldKey = "dy-api-key-P0o9I8u7Y6t5";
    private const string EventsPathMoEngage = "/v1/experiences/events";
    private const string EventsPathDynamicYield = "/v2/collect/user/engagement";

    public static TheoryData<string, string> Scenarios
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var vendor in new[] { "MoEngage", "DynamicYield" })
            {
                foreach (var answer in new[] { "success", "400", "401", "429", "500", "malformed", "hang" })
                {
                    data.Add(vendor, answer);
                }
            }

            data.Add("Local", "success");
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task FullScenarioAtTrace_NoSecretInAnyLogLine(string vendor, string answer)
    {
        var run = Guid.NewGuid().ToString("N")[..12];
        var cookies = new (string Name, string Value)[]
        {
            ("ssp_vid", $"sspvid-secret-{run}"),
            ("moe_uuid", $"moeuuid-secret-{run}"),
            ("_dyid", $"dyid-secret-{run}"),
            ("_dyid_server", $"dyidserver-secret-{run}"),
            ("_dyjsession", $"dyjsession-secret-{run}"),
        };
        var dyCookies = new[] { DynamicYieldStub.Cookie("_dyid_server", $"dyanswer-secret-{run}", 31540000), DynamicYieldStub.Cookie("_dyjsession", $"dyanswersession-secret-{run}", 1800) };
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secrets = new List<string> { MoEngageKey, DynamicYieldKey, Email, Sha256Hex(Email.ToLowerInvariant()), Sha256Hex(Email) };
        secrets.AddRange(cookies.Select(c => c.Value));
        secrets.AddRange(dyCookies.Select(c => (string)c["value"]!));
        secrets.Add(CookieHeader(cookies));
        var clickTokens = new HashSet<string>(StringComparer.Ordinal);

        await using var stub = await StubVendorServer.StartAsync();
        using var files = new ExperienceFiles();
        var eventsPath = vendor == "MoEngage" ? EventsPathMoEngage : EventsPathDynamicYield;
        stub.Respond = vendor switch
        {
            "MoEngage" => request => request.Path == EventsPathMoEngage
                ? Failure(answer, gate) ?? StubResponse.Json("""{"status":"success","message":"Your request has been accepted"}""")
                : MoEngageStub.Keys(request).Contains("hero") ? MoEngageStub.Answer()(request) : Failure(answer, gate) ?? MoEngageStub.Answer()(request),
            "DynamicYield" => request => request.Path == EventsPathDynamicYield
                ? Failure(answer, gate) ?? StubResponse.Json("{}")
                : DynamicYieldStub.Names(request).Contains("hero") ? DynamicYieldStub.Answer([Hero()], dyCookies)(request) : Failure(answer, gate) ?? DynamicYieldStub.Answer([Hero()], dyCookies)(request),
            _ => _ => StubResponse.Json("{}"),
        };

        var settings = vendor switch
        {
            "MoEngage" => MoEngageStub.Settings(stub, ("Personalization:MoEngage:ApiKey", MoEngageKey), ("Personalization:Tracking:MoEngage:Enabled", "true")),
            "DynamicYield" => DynamicYieldStub.Settings(stub, ("Personalization:DynamicYield:ApiKey", DynamicYieldKey), ("Personalization:Tracking:DynamicYield:Enabled", "true")),
            _ => new Dictionary<string, string?>
            {
                ["Personalization:Local:File"] = files.WriteSingle(("hero", new { Title = "Hello", CtaUrl = "/landing/hero" })),
                ["Personalization:Tracking:Local:Enabled"] = "true",
            },
        };
        settings["Personalization:Tracking:FlushInterval"] = "00:00:00.020";
        settings["Personalization:Tracking:MaxAttempts"] = "2";
        settings["Personalization:Tracking:RetryBaseDelay"] = "00:00:00.010";
        settings["Personalization:Tracking:MaxRetryDelay"] = "00:00:00.020";
        settings["Personalization:Identity:HashEmailCustomerIds"] = "true";
        if (answer == "hang")
        {
            // The hanging answer is given up on at the budget; the rest of the run stays quick.
            settings[$"Personalization:{vendor}:Timeout"] = "00:00:01";
            settings[$"Personalization:{vendor}:HttpTimeout"] = "00:00:01";
        }

        var logs = new SecretLogCollector();
        await using var app = await TestApp.StartAsync(
            settings,
            services =>
            {
                services.AddSingleton<ILoggerProvider>(logs);
                services.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Trace);
                services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
            },
            beforePersonalization: web => web.UseTestUser());
        try
        {
            // A signed-in customer whose id is an email, with every cookie: renders the hero and tracked links.
            var page = await Send(app, HttpMethod.Get, "/Tags/Click", cookies, Email);
            var tokens = Tokens(page.Body);
            Assert.NotEmpty(tokens);
            clickTokens.UnionWith(tokens);
            clickTokens.UnionWith(tokens.Select(Uri.EscapeDataString));
            secrets.AddRange(clickTokens);

            // The answer under test, for the customer and for an anonymous visitor.
            await Send(app, HttpMethod.Get, "/Tags/Declared", cookies, Email);
            await Send(app, HttpMethod.Get, "/Tags/Declared", cookies, customer: null);

            // A new visitor: the library issues its cookie (and Dynamic Yield's), whose values are secrets too.
            var fresh = await Send(app, HttpMethod.Get, "/Tags/Hero", [], customer: null);
            secrets.AddRange(fresh.SetCookieValues);

            // Tracked links: valid (GET and beacon POST), tampered, and foreign (no cookie of the visitor, not signed in).
            var link = "/_personalization/click?t=" + Uri.EscapeDataString(tokens[0]);
            Assert.Equal(302, (await Send(app, HttpMethod.Get, link, cookies, Email)).Status);
            Assert.Equal(204, (await Send(app, HttpMethod.Post, link, cookies, Email)).Status);
            Assert.Equal(400, (await Send(app, HttpMethod.Get, "/_personalization/click?t=" + Uri.EscapeDataString(Tamper(tokens[0])), cookies, Email)).Status);
            Assert.Equal(302, (await Send(app, HttpMethod.Get, link, [("ssp_vid", $"foreign-secret-{run}")], customer: null)).Status);
            secrets.Add($"foreign-secret-{run}");

            // Hostile input alongside the secrets.
            var hostile = await app.SendRawAsync(c =>
            {
                c.Request.Method = HttpMethods.Get;
                c.Request.Path = "/Tags/Declared";
                c.Request.QueryString = new QueryString("?utm_source=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
                c.Request.Headers.Cookie = CookieHeader(cookies) + "; junk=\r\nSet-Cookie: x=1";
                c.Request.Headers.UserAgent = new string('U', 10_000);
                c.Request.Headers[TestUser.HeaderPrefix + "nameid"] = Email;
            });
            Assert.True(hostile.Response.StatusCode < 500);

            // Let delivery run against the answer under test, and let the failure be logged.
            Assert.True(vendor == "Local" || await Eventually.TrueAsync(() => stub.Requests.Any(r => r.Path == eventsPath)), "no events reached the stub");
            if (answer != "success")
            {
                Assert.True(
                    await Eventually.TrueAsync(() => logs.Entries.Any(e => e.Category.StartsWith("ServerSidePersonalization", StringComparison.Ordinal) && e.Level >= LogLevel.Warning)),
                    "the failure was never logged");
            }

            secrets.AddRange(stub.Requests.SelectMany(r => new[] { r.Header("Authorization"), r.Header("DY-API-Key") }).OfType<string>().Distinct());
            secrets.AddRange(stub.Requests.Select(r => r.Header("Authorization")).OfType<string>()
                .Where(a => a.StartsWith("Basic ", StringComparison.Ordinal)).Select(a => a["Basic ".Length..]).Distinct());
        }
        finally
        {
            await app.App.StopAsync();
            gate.TrySetResult();
        }

        var entries = logs.Entries.ToList();
        Assert.Contains(entries, e => e.Level == LogLevel.Trace);
        Assert.Contains(entries, e => e.Category.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal));
        foreach (var secret in secrets.Where(s => s.Length >= 8).Distinct())
        {
            // Known and reported, not fixable from a library: ASP.NET Core's hosting logs each request line, query string
            // included, at Information ("Request starting/finished ... /_personalization/click?t=..."), so a tracked
            // link's token reaches that one category. Only the click token, and only those two events, are let through.
            var requestLine = clickTokens.Contains(secret);
            var leak = entries.FirstOrDefault(e =>
                !(requestLine && e.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && IsRequestLine(e))
                && e.Texts.Any(t => t.Contains(secret, StringComparison.OrdinalIgnoreCase)));
            Assert.True(leak is null, $"'{secret}' logged by {leak?.Category} ({leak?.Level} {leak?.EventName}): {leak?.Texts.FirstOrDefault(t => t.Contains(secret, StringComparison.OrdinalIgnoreCase))}");
        }
    }

    [Fact]
    public void Collector_FindsASecretInStateScopesAndExceptions()
    {
        // The search above must be able to fail: a secret only in a structured value, a scope or an exception is found.
        var logs = new SecretLogCollector();
        var logger = logs.CreateLogger("Probe");
        using (logger.BeginScope(new Dictionary<string, object?> { ["Scoped"] = "in-scope-secret" }))
        {
            KeyValuePair<string, object?>[] state = [new("Key", "in-state-secret")];
            var exception = new InvalidOperationException("in-exception-secret");
            logger.Log(LogLevel.Trace, new EventId(1, "Probe"), state, exception, (_, _) => "nothing");
        }

        var texts = Assert.Single(logs.Entries).Texts;
        Assert.Contains(texts, t => t.Contains("in-scope-secret", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("in-state-secret", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("in-exception-secret", StringComparison.Ordinal));
    }

    private static StubResponse? Failure(string answer, TaskCompletionSource gate) => answer switch
    {
        "success" => null,
        "400" => StubResponse.Json("""{"status":"fail","error":{"message":"Bad request","description":"Field moe_event_uuid is invalid"}}""", 400),
        "401" => StubResponse.Json("""{"status":"fail","error":{"message":"Unauthorized","description":"Invalid credentials"}}""", 401),
        "429" => new StubResponse(429, """{"status":"fail"}""", Headers: new Dictionary<string, string> { ["Retry-After"] = "0" }),
        "500" => StubResponse.Json("""{"status":"fail"}""", 500),
        "malformed" => StubResponse.Json("""{"experiences": {"hero": [1, 2""" + "\u0001"),
        "hang" => new StubResponse(200, Writer: async response =>
        {
            try
            {
                await gate.Task.WaitAsync(response.HttpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(answer)),
    };

    private static bool IsRequestLine(Entry entry) =>
        entry.Texts[0].StartsWith("Request starting ", StringComparison.Ordinal) || entry.Texts[0].StartsWith("Request finished ", StringComparison.Ordinal);

    private static JsonObject Hero() => DynamicYieldStub.CustomJson("hero", new JsonObject { ["Title"] = "Dynamic hero", ["CtaUrl"] = "/landing/hero" });

    private static string CookieHeader(IEnumerable<(string Name, string Value)> cookies) => string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}"));

    private static string Sha256Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static string Tamper(string token)
    {
        var at = token.Length / 2;
        return string.Concat(token.AsSpan(0, at), [token[at] == 'A' ? 'B' : 'A'], token.AsSpan(at + 1));
    }

    private static List<string> Tokens(string html) =>
        [.. System.Text.RegularExpressions.Regex.Matches(html, "href=\"/_personalization/click\\?t=([^\"&]+)\"")
            .Select(m => Uri.UnescapeDataString(WebUtility.HtmlDecode(m.Groups[1].Value))).Distinct()];

    private static async Task<(int Status, string Body, List<string> SetCookieValues)> Send(
        TestApp app, HttpMethod method, string path, (string Name, string Value)[] cookies, string? customer)
    {
        using var request = new HttpRequestMessage(method, path);
        if (cookies.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", CookieHeader(cookies));
        }

        if (customer is not null)
        {
            request.Headers.Add(TestUser.HeaderPrefix + "nameid", customer);
        }

        using var response = await app.Client.SendAsync(request);
        var set = response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(v => v.Split(';')[0]).Select(v => v[(v.IndexOf('=', StringComparison.Ordinal) + 1)..]).ToList()
            : [];
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), set);
    }

    /// <summary>Keeps, for every log call, its formatted message, each structured state and scope value, and the exception's full text.</summary>
    private sealed class SecretLogCollector : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private static IEnumerable<string> Values(object? state)
        {
            switch (state)
            {
                case null:
                    yield break;
                case string text:
                    yield return text;
                    yield break;
                case IEnumerable<KeyValuePair<string, object?>> pairs:
                    yield return state.ToString() ?? string.Empty;
                    foreach (var (key, value) in pairs)
                    {
                        yield return key;
                        foreach (var inner in Values(value))
                        {
                            yield return inner;
                        }
                    }

                    yield break;
                case IEnumerable sequence:
                    foreach (var item in sequence)
                    {
                        foreach (var inner in Values(item))
                        {
                            yield return inner;
                        }
                    }

                    yield break;
                default:
                    yield return Convert.ToString(state, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                    yield break;
            }
        }

        private sealed class Collector(SecretLogCollector owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var texts = new List<string> { formatter(state, exception), eventId.Name ?? string.Empty };
                texts.AddRange(Values(state));
                owner._scopes.ForEachScope((scope, list) => list.AddRange(Values(scope)), texts);
                if (exception is not null)
                {
                    texts.Add(exception.ToString());
                    texts.AddRange(exception.Data.Values.Cast<object?>().SelectMany(Values));
                }

                owner.Entries.Enqueue(new Entry(category, logLevel, eventId.Name, texts));
            }
        }
    }

    private sealed record Entry(string Category, LogLevel Level, string? EventName, IReadOnlyList<string> Texts);
}
