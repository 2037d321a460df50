using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.AspNetCore;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;

namespace ServerSidePersonalization.Tests.AspNetCore;

/// <summary>
/// A response that read an experience is one visitor's page: shared caches (ASP.NET's output cache here, a CDN or a
/// proxy by its headers) must never hand it to the next visitor, while pages that read none keep the app's caching.
/// The stub answers each visitor with a title naming them, so a cached page shows up as the wrong name.
/// </summary>
public sealed class PersonalizedResponseTests : IAsyncLifetime
{
    private StubVendorServer _stub = null!;
    private int _plainRenders;

    public async Task InitializeAsync()
    {
        _stub = await StubVendorServer.StartAsync();
        _stub.Respond = MoEngageStub.Route(AnswerNamingTheVisitor);
    }

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task OutputCache_PersonalizedPage_NeverStored_EachVisitorGetsTheirOwn()
    {
        await using var app = await StartAsync();

        var first = await GetBodyAsync(app, "/cached/hero", "visitor-a");
        var second = await GetBodyAsync(app, "/cached/hero", "visitor-b");
        var firstAgain = await GetBodyAsync(app, "/cached/hero", "visitor-a");

        Assert.Equal("hero for visitor-a", first);
        Assert.Equal("hero for visitor-b", second);
        Assert.Equal("hero for visitor-a", firstAgain);
    }

    [Fact]
    public async Task OutputCache_PageReadingNoExperience_KeepsTheAppsHeadersAndIsStored()
    {
        await using var app = await StartAsync();

        using var first = await app.GetAsync("/cached/plain", ("ssp_vid", "visitor-a"));
        using var second = await app.GetAsync("/cached/plain", ("ssp_vid", "visitor-b"));

        Assert.Equal("render 1", await first.Content.ReadAsStringAsync());
        Assert.Equal("render 1", await second.Content.ReadAsStringAsync());
        Assert.Equal(1, _plainRenders);
        Assert.Equal("public, max-age=60", CacheControl(first));
        Assert.Empty(first.Headers.Vary);
    }

    [Fact]
    public async Task Headers_PersonalizedPageTheAppMarkedPublic_PrivateWithItsMaxAgeAndVaryCookie()
    {
        await using var app = await StartAsync();

        using var response = await app.GetAsync("/cached/hero", ("ssp_vid", "visitor-a"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=60, private", CacheControl(response));
        Assert.Equal(["Accept-Language", "Cookie"], response.Headers.Vary);
    }

    [Fact]
    public async Task Headers_PersonalizedPageWithoutCachingHeaders_PrivateAndVaryCookie()
    {
        await using var app = await StartAsync();

        using var response = await app.GetAsync("/hero", ("ssp_vid", "visitor-a"));

        Assert.Equal("hero for visitor-a", await response.Content.ReadAsStringAsync());
        Assert.Equal("private", CacheControl(response));
        Assert.Equal(["Cookie"], response.Headers.Vary);
    }

    [Theory]
    [InlineData(null, "private")]
    [InlineData("public", "private")]
    [InlineData("public, max-age=60, s-maxage=600", "max-age=60, private")]
    [InlineData("no-store", "no-store, private")]
    [InlineData("no-store, no-cache", "no-store, no-cache, private")]
    [InlineData("private", "private")]
    [InlineData("private=\"Set-Cookie\", max-age=5", "max-age=5, private")]
    [InlineData("max-age=0, must-revalidate", "must-revalidate, max-age=0, private")]
    [InlineData("public, max-age=60, stale-while-revalidate=30", "max-age=60, private, stale-while-revalidate=30")]
    [InlineData("public, no-store, max-age=\"x", "no-store, private")]
    [InlineData("public, max-age=\"x", "private")]
    public void Apply_AppsCacheControl_MadePrivateNeverWeakened(string? appValue, string expected)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        if (appValue is not null)
        {
            headers.CacheControl = appValue;
        }

        PersonalizedResponse.Apply(headers, variesByCookie: false);

        Assert.Equal(expected, headers.CacheControl.ToString());
        Assert.Equal(0, headers.Vary.Count);
    }

    [Theory]
    [InlineData(null, new[] { "Cookie" })]
    [InlineData("Accept-Encoding", new[] { "Accept-Encoding", "Cookie" })]
    [InlineData("Accept-Encoding, cookie", new[] { "Accept-Encoding, cookie" })]
    [InlineData("COOKIE", new[] { "COOKIE" })]
    [InlineData("*", new[] { "*" })]
    public void Apply_AppsVary_CookieAddedOnce(string? appValue, string[] expected)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        if (appValue is not null)
        {
            headers.Vary = appValue;
        }

        PersonalizedResponse.Apply(headers, variesByCookie: true);

        Assert.Equal(expected, headers.Vary.ToArray());
    }

    /// <summary>Every experience asked for, with a title naming the id it was fetched for.</summary>
    private static StubResponse AnswerNamingTheVisitor(RecordedRequest request)
    {
        var user = request.Json.TryGetProperty("customer_id", out var id) ? id.GetString() : "nobody";
        var experiences = new JsonObject();
        foreach (var key in MoEngageStub.Keys(request))
        {
            experiences[key] = new JsonObject
            {
                ["payload"] = new JsonObject { ["Title"] = new JsonObject { ["value"] = $"{key} for {user}", ["data_type"] = "string" } },
                ["experience_context"] = MoEngageStub.Context(key),
            };
        }

        return StubResponse.Json(new JsonObject { ["experiences"] = experiences }.ToJsonString());
    }

    private static string CacheControl(HttpResponseMessage response) => string.Join(", ", response.Headers.GetValues("Cache-Control"));

    private static async Task<string> GetBodyAsync(TestApp app, string path, string visitor)
    {
        using var response = await app.GetAsync(path, ("ssp_vid", visitor));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> TitleAsync(HttpContext context) =>
        await context.GetPersonalization().GetExperienceAsync("hero") is { } hero ? hero.GetString("Title") ?? "no title" : "fallback";

    private Task<TestApp> StartAsync() => TestApp.StartAsync(
        MoEngageStub.Settings(_stub),
        services: s => s.AddOutputCache(o => o.AddPolicy("page", p => p.Expire(TimeSpan.FromMinutes(5)))),
        beforePersonalization: app => app.UseOutputCache(),
        endpoints: app =>
        {
            app.MapGet("/hero", (Func<HttpContext, Task<string>>)TitleAsync);
            app.MapGet("/cached/hero", async (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=60";
                context.Response.Headers.Vary = "Accept-Language";
                return await TitleAsync(context);
            }).CacheOutput("page");
            app.MapGet("/cached/plain", (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=60";
                return $"render {Interlocked.Increment(ref _plainRenders)}";
            }).CacheOutput("page");
        });
}
