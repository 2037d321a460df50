using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerSidePersonalization.Benchmarks.Comparison;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Benchmarks;

/// <summary>
/// The app the load modes measure: the library on real Kestrel with the real clock, MoEngage as provider against a stub
/// on loopback, and one page, <c>/hero</c>, that shows one experience (its Title, or "fallback") and reports it as shown.
/// </summary>
internal sealed class AppUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private AppUnderTest(WebApplication app, Uri address)
    {
        _app = app;
        _client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// Starts the app against <paramref name="stub"/>, with <paramref name="redis"/> as L2 when given; reporting to
    /// MoEngage is off unless <paramref name="settings"/> turns it on, and those settings override the rest.
    /// </summary>
    public static async Task<AppUnderTest> StartAsync(StubVendorServer stub, RedisServer? redis = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["Personalization:Provider"] = "MoEngage";
        builder.Configuration["Personalization:MoEngage:BaseUrl"] = stub.Url.ToString();
        builder.Configuration["Personalization:MoEngage:WorkspaceId"] = "WS";
        builder.Configuration["Personalization:MoEngage:ApiKey"] = "key";
        builder.Configuration["Personalization:Tracking:MoEngage:Enabled"] = "false";
        builder.Configuration["Personalization:Cache:Redis"] = redis?.ConnectionString;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.Configuration[key] = value;
        }

        builder.Services.AddServerSidePersonalization().AddRedis();
        var app = builder.Build();
        app.UseServerSidePersonalization();
        app.MapGet("/hero", async (HttpContext context) =>
        {
            var personalization = context.GetPersonalization();
            if (await personalization.GetExperienceAsync("hero") is not { } hero)
            {
                return "fallback";
            }

            personalization.TrackImpression(hero);
            return hero.GetString("Title") ?? "fallback";
        }).WithExperiences("hero");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AppUnderTest(app, new Uri(address));
    }

    /// <summary>One page view by <paramref name="visitor"/>, timed; a failure to get an answer at all is returned, not thrown.</summary>
    public async Task<PageView> GetAsync(string visitor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hero");
        request.Headers.Add("Cookie", $"ssp_vid={visitor}");
        request.Headers.TryAddWithoutValidation("User-Agent", Visitors.BrowserUserAgent);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            return new PageView((int)response.StatusCode, body, Stopwatch.GetElapsedTime(started).TotalMilliseconds, Error: null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new PageView(0, Body: null, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
