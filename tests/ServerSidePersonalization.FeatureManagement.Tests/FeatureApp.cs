using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.FeatureManagement;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.FeatureManagement.Tests;

/// <summary>
/// A real app on the test server: this assembly's Razor Pages, personalization answered by <see cref="FixedProvider"/>,
/// Feature Management with a configured feature <c>Beta</c> and the experiences as variants, and a destination that
/// records each event as it is queued (inside the request, so a count taken after the response is complete).
/// </summary>
internal sealed class FeatureApp : IAsyncDisposable
{
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static readonly Lazy<string> EmptyContentRoot = new(() => Directory.CreateTempSubdirectory("ssp-fm-content-root-").FullName);

    private FeatureApp(WebApplication app, FixedProvider provider, Recorder recorder, WarningLog warnings)
    {
        Warnings = warnings.Logged;
        App = app;
        Provider = provider;
        Client = app.GetTestClient();
        Client.DefaultRequestHeaders.UserAgent.ParseAdd(Browser);
        _recorder = recorder;
    }

    private readonly Recorder _recorder;

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public FixedProvider Provider { get; }

    /// <summary>Every warning or worse logged, as category and message.</summary>
    public ConcurrentQueue<string> Warnings { get; }

    public IReadOnlyList<TrackingEvent> Impressions => [.. _recorder.Events.Where(e => e.Kind == TrackingEventKind.Impression)];

    /// <summary>Starts an app whose visitors all get <c>home-hero</c> in <paramref name="variation"/> (none when null).</summary>
    public static async Task<FeatureApp> StartAsync(string? variation)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ApplicationName = typeof(FeatureApp).Assembly.GetName().Name,
            ContentRootPath = EmptyContentRoot.Value,
        });
        builder.WebHost.UseTestServer();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["FeatureManagement:Beta"] = "true" });
        var warnings = new WarningLog();
        builder.Logging.ClearProviders().AddProvider(warnings);

        var provider = new FixedProvider(variation);
        var recorder = new Recorder();
        builder.Services.AddRazorPages();
        builder.Services.AddSingleton(provider);
        builder.Services.AddSingleton<ITrackingDestination>(recorder);

        // The README's registration, verbatim; then this app's provider in place of the Local one.
        builder.Services.AddServerSidePersonalization();
        builder.Services.AddFeatureManagement().AddPersonalizationVariants();
        builder.Services.AddServerSidePersonalization(options => options.Provider = FixedProvider.ProviderName)
            .AddExperienceProvider<FixedProvider>(FixedProvider.ProviderName, TimeSpan.FromSeconds(5));

        var app = builder.Build();
        app.UseServerSidePersonalization();
        app.MapRazorPages();
        await app.StartAsync();
        return new FeatureApp(app, provider, recorder, warnings);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>Answers <c>home-hero</c> in one variation for everyone, with a payload, and remembers every key asked.</summary>
    internal sealed class FixedProvider(string? variation) : IExperienceProvider
    {
        public const string ProviderName = "Fixed";

        public ConcurrentQueue<string> AskedKeys { get; } = new();

        public string Name => ProviderName;

        public ValueTask<ExperienceFetchResult> FetchAsync(ExperienceRequest request, CancellationToken cancellationToken)
        {
            var found = new Dictionary<string, Experience>(StringComparer.Ordinal);
            foreach (var key in request.Keys)
            {
                AskedKeys.Enqueue(key);
                if (key == "home-hero" && variation is not null)
                {
                    found[key] = Hero(variation);
                }
            }

            return ValueTask.FromResult(new ExperienceFetchResult(found));
        }

        private static Experience Hero(string variation)
        {
            var payload = JsonSerializer.SerializeToElement(new { Title = $"Title {variation}", Cta = new { Url = $"/offers/{variation}" } });
            return new Experience(
                "home-hero",
                payload.EnumerateObject().ToDictionary(p => p.Name, p => new ExperienceValue(p.Value, ExperienceValue.Infer(p.Value))),
                new ExperienceAttribution(ProviderName, JsonSerializer.SerializeToElement(new { variation }), variation));
        }
    }

    private sealed class Recorder : ITrackingDestination
    {
        public ConcurrentQueue<TrackingEvent> Events { get; } = new();

        public string Name => "Recorder";

        public int MaxBatchSize => 1;

        public bool Accepts(TrackingEvent trackingEvent)
        {
            Events.Enqueue(trackingEvent);
            return false;
        }

        public Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken) =>
            Task.FromResult(DeliveryResult.Delivered);
    }

    private sealed class WarningLog : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Logged { get; private init; } = new();

        private string Category { get; init; } = string.Empty;

        public ILogger CreateLogger(string categoryName) => new WarningLog { Logged = Logged, Category = categoryName };

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Logged.Enqueue($"{Category}: {formatter(state, exception)}");
            }
        }

        public void Dispose()
        {
        }
    }
}
