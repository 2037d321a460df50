using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// A real ASP.NET Core app on the test server: configuration from a dictionary, the Razor Pages compiled into this
/// test assembly, <c>UseServerSidePersonalization()</c>, and hooks for the pipeline and endpoints.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    private static readonly Lazy<string> EmptyContentRoot = new(() => Directory.CreateTempSubdirectory("ssp-content-root-").FullName);

    /// <summary>What an ordinary browser sends; without a User-Agent a request counts as a bot.</summary>
    public const string BrowserUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private TestApp(WebApplication app, LogCollector logs)
    {
        App = app;
        Logs = logs;
        Client = app.GetTestClient();
        Client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", BrowserUserAgent);
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public LogCollector Logs { get; }

    public TestServer Server => App.GetTestServer();

    public IServiceProvider Services => App.Services;

    public static async Task<TestApp> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? beforePersonalization = null,
        Action<WebApplication>? endpoints = null,
        TimeProvider? time = null,
        string? environment = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment ?? Environments.Development,
            ApplicationName = typeof(TestApp).Assembly.GetName().Name,
            ContentRootPath = EmptyContentRoot.Value,
        });
        builder.WebHost.UseTestServer();

        // Only what the test says: no appsettings.json (the sample's is copied next to the tests), no environment.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        var logs = new LogCollector();
        builder.Logging.ClearProviders().AddProvider(logs.Provider).SetMinimumLevel(LogLevel.Debug);
        // The sample is referenced (for its own tests); keep its pages and layout out of these apps.
        builder.Services.AddRazorPages().ConfigureApplicationPartManager(parts =>
        {
            foreach (var part in parts.ApplicationParts.Where(p => p.Name == "Storefront").ToList())
            {
                parts.ApplicationParts.Remove(part);
            }
        });
        builder.Services.AddServerSidePersonalization();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        services?.Invoke(builder.Services);

        var app = builder.Build();
        beforePersonalization?.Invoke(app);
        app.UseServerSidePersonalization();
        app.MapRazorPages();
        app.MapPersonalizationClicks();
        app.MapGet("/identity", (HttpContext context) =>
        {
            var identity = context.GetPersonalization().Identity;
            return Results.Json(new IdentityDto(identity.CustomerId, identity.VisitorId, identity.SessionId, identity.IsNewVisitor, identity.Identifiers.ToDictionary()));
        });
        endpoints?.Invoke(app);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new TestApp(app, logs);
    }

    /// <summary>GETs <paramref name="path"/> with the given cookies.</summary>
    public Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] cookies)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookies.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        }

        return Client.SendAsync(request);
    }

    public async Task<string> GetPageAsync(string path, params (string Name, string Value)[] cookies)
    {
        using var response = await GetAsync(path, cookies);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Sends a request built directly on the server's HttpContext, for values no HttpClient would send.</summary>
    public Task<HttpContext> SendRawAsync(Action<HttpContext> configure) => Server.SendAsync(context =>
    {
        context.Request.Headers.UserAgent = BrowserUserAgent;
        configure(context);
    });

    /// <summary>
    /// GETs a page whose L2 calls may wait on a store that does not answer, moving <paramref name="clock"/> past
    /// <paramref name="timeout"/> (the L2 timeout) each time the page waits on it.
    /// </summary>
    public async Task<string> GetPageOnTheClockAsync(string path, ObservedClock clock, TimeSpan timeout, params (string Name, string Value)[] cookies)
    {
        var page = GetPageAsync(path, cookies);
        while (await Eventually.TrueAsync(() => page.IsCompleted || clock.HasTimer(timeout)) && !page.IsCompleted)
        {
            clock.Advance(timeout);
        }

        return await page;
    }

    public async Task<IdentityDto> GetIdentityAsync(params (string Name, string Value)[] cookies)
    {
        using var response = await GetAsync("/identity", cookies);
        return (await response.Content.ReadFromJsonAsync<IdentityDto>())!;
    }

    /// <summary>
    /// The Redis multiplexer connects in the background; page views of <paramref name="path"/> by new visitors until
    /// one reached L2 prove it is connected (and done with its own start-up commands) before a test counts commands.
    /// </summary>
    public async Task WarmUpL2Async(string path)
    {
        using var metrics = new MetricsCollector(Services);
        var i = 0;
        Assert.True(
            await Eventually.TrueAsync(async () =>
            {
                await GetPageAsync(path, ("ssp_vid", $"warm-up-{i++}"));
                return metrics.L2("get", "success") > 0;
            }),
            "Redis was not reached within 10 s.");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

internal sealed record IdentityDto(string? CustomerId, string? VisitorId, string? SessionId, bool IsNewVisitor, Dictionary<string, string> Identifiers);
