using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.FeatureManagement;

namespace ServerSidePersonalization.Benchmarks.Comparison;

/// <summary>
/// The apps the comparison measures, each on real Kestrel on its own loopback port, all serving this project's Razor
/// pages (<c>Pages/</c>): a plain app without the library, and the library's apps, configured by settings alone.
/// </summary>
internal static class BenchApps
{
    /// <summary>
    /// Microsoft.FeatureManagement's variant feature: two variants, half the visitors each, allocated by the targeting
    /// user id, as its documentation shows.
    /// </summary>
    private const string FeatureFlags = """
        {
          "feature_management": {
            "feature_flags": [
              {
                "id": "Hero",
                "enabled": true,
                "variants": [ { "name": "A" }, { "name": "B" } ],
                "allocation": {
                  "percentile": [ { "variant": "A", "from": 0, "to": 50 }, { "variant": "B", "from": 50, "to": 100 } ]
                }
              }
            ]
          }
        }
        """;

    /// <summary>
    /// The app without the library: the static pages (<c>baseline</c>, <c>baseline-wide</c>), the static JSON
    /// (<c>api-baseline</c>), the page asking <paramref name="naiveVendor"/> itself, and the Microsoft.FeatureManagement
    /// page, whose library adds services but no middleware.
    /// </summary>
    public static async Task<(WebApplication App, Uri Url)> StartPlainAsync(Uri naiveVendor)
    {
        var builder = CreateBuilder(new Dictionary<string, string?>());
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(FeatureFlags)));
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddFeatureManagement().WithTargeting<CookieTargetingContextAccessor>();
        builder.Services.AddSingleton(new NaiveVendorClient(new HttpClient { BaseAddress = naiveVendor }));
        var app = builder.Build();
        app.MapRazorPages();
        app.MapGet("/api-baseline", () => TypedResults.Json(new HeroAnswer("Hello"), BenchJsonContext.Default.HeroAnswer));
        return await StartAsync(app);
    }

    /// <summary>The library's app with <paramref name="settings"/>: its middleware, the pages, the click endpoint and <c>/api</c>.</summary>
    public static async Task<(WebApplication App, Uri Url)> StartPersonalizedAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = CreateBuilder(settings);
        builder.Services.AddServerSidePersonalization().AddRedis();
        var app = builder.Build();
        app.UseServerSidePersonalization();
        app.MapRazorPages();
        app.MapPersonalizationClicks();
        app.MapGet("/api", async (HttpContext context) =>
        {
            var personalization = context.GetPersonalization();
            if (await personalization.GetExperienceAsync("hero", context.RequestAborted) is not { } hero)
            {
                return TypedResults.Json(new HeroAnswer("fallback"), BenchJsonContext.Default.HeroAnswer);
            }

            personalization.TrackImpression(hero);
            return TypedResults.Json(new HeroAnswer(hero.GetString("Title") ?? "fallback"), BenchJsonContext.Default.HeroAnswer);
        });
        return await StartAsync(app);
    }

    /// <summary>Settings for the Local provider reading <paramref name="file"/> (tracking to the Local destination is on by default).</summary>
    public static Dictionary<string, string?> Local(string file) => new()
    {
        ["Personalization:Provider"] = "Local",
        ["Personalization:Local:File"] = file,
        ["Personalization:Local:ReloadOnChange"] = "false",
    };

    /// <summary>
    /// Writes the Local provider's experiences: <c>hero</c> and <c>wide-0</c> to <c>wide-9</c>, two variations each
    /// whose Title is "Hello", the text the static pages show.
    /// </summary>
    public static string WriteExperiences(string directory)
    {
        static string Experience(string key) => $$"""
            { "key": "{{key}}", "variations": [
              { "id": "a", "weight": 50, "payload": { "Title": "Hello" } },
              { "id": "b", "weight": 50, "payload": { "Title": "Hello" } } ] }
            """;
        var keys = new[] { "hero" }.Concat(Enumerable.Range(0, 10).Select(i => $"wide-{i}"));
        var path = Path.Combine(directory, "experiences.json");
        File.WriteAllText(path, $$"""{ "experiences": [ {{string.Join(",\n", keys.Select(Experience))}} ] }""");
        return path;
    }

    private static WebApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(BenchApps).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRazorPages();
        return builder;
    }

    private static async Task<(WebApplication App, Uri Url)> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }
}
