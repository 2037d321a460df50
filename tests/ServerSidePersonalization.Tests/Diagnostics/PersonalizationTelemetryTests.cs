using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.Diagnostics;

/// <summary>
/// One scripted run through a stub MoEngage, an L2 double and a recording destination, on the fake clock; then every
/// instrument and every span is checked, and no tag may hold the visitor's id or email.
/// </summary>
public sealed class PersonalizationTelemetryTests : IAsyncLifetime
{
    private const string Key = "telemetry-hero";
    private const string Page = "/Diagnostics/Telemetry";
    private const string VisitorId = "visitor-7d1e9c2b";
    private const string OtherVisitorId = "visitor-51aa03f4";
    private const string Email = "jane.doe@example.com";

    private readonly ObservedClock _clock = new();
    private StubVendorServer _stub = null!;

    public async Task InitializeAsync() => _stub = await StubVendorServer.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task ScriptedRun_EveryInstrumentAndSpanRecorded_NoTagHoldsAnIdOrEmail()
    {
        // The ActivitySource is shared by every app in the process: keep only the spans about this test's experience.
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PersonalizationTracing.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem(PersonalizationTracing.KeysTag) is string[] keys && keys.Contains(Key))
                {
                    spans.Enqueue(activity);
                    Eventually.Notify();
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var failing = false;
        _stub.Respond = MoEngageStub.AnswerUnless(() => Volatile.Read(ref failing));
        var l2 = new FaultyL2Store();
        var recorder = new RecordingDestination();
        await using var app = await TestApp.StartAsync(
            MoEngageStub.Settings(_stub),
            services => services.AddSingleton<IL2Store>(l2).AddSingleton<ITrackingDestination>(recorder),
            beforePersonalization: web => web.UseTestUser(),
            time: _clock);
        using var metrics = new MetricsCollector(app.Services);

        // A signed-in visitor: L2 miss, a fetch, an impression. Again: L1. Then the vendor fails for another visitor.
        Assert.Contains("<h1>Title of telemetry-hero</h1>", await SignedInPageAsync(app), StringComparison.Ordinal);
        Assert.True(await Eventually.TrueAsync(() => l2.Sets == 1));
        Assert.Contains("<h1>Title of telemetry-hero</h1>", await SignedInPageAsync(app), StringComparison.Ordinal);
        Volatile.Write(ref failing, true);
        Assert.Contains("<h1>No telemetry hero</h1>", await app.GetPageAsync(Page, ("ssp_vid", OtherVisitorId)), StringComparison.Ordinal);
        await app.SendRawAsync(context =>
        {
            context.Request.Path = Page;
            context.Request.Headers.UserAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
        });
        Assert.True(await _clock.RunUntilAsync(() => recorder.Delivered.Count == 2, TimeSpan.FromMinutes(1)));
        Assert.True(await Eventually.TrueAsync(() => spans.Any(s => s.OperationName == PersonalizationTracing.TrackingDelivery)
            && metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("outcome", "delivered")) == 2));
        metrics.Observe();

        var expected = new Dictionary<string, Action>
        {
            [PersonalizationTelemetry.ExperienceLookups] = () =>
            {
                Assert.Equal(1, metrics.Lookups("provider"));
                Assert.Equal(1, metrics.Lookups("l1"));
                Assert.Equal(1, metrics.Lookups("none"));
                Assert.Equal(3, metrics.Sum(PersonalizationTelemetry.ExperienceLookups, ("provider", "MoEngage")));
            },
            [PersonalizationTelemetry.L2Operations] = () =>
            {
                Assert.Equal(2, metrics.L2("get", "success"));
                Assert.Equal(1, metrics.L2("set", "success"));
                Assert.Equal(3, metrics.Sum(PersonalizationTelemetry.L2Operations));
            },
            [PersonalizationTelemetry.ProviderCalls] = () => Assert.Equal(2, metrics.Sum(PersonalizationTelemetry.ProviderCalls, ("provider", "MoEngage"))),
            [PersonalizationTelemetry.ProviderDuration] = () => Assert.Equal(
                ["failure", "success"],
                metrics.Measurements(PersonalizationTelemetry.ProviderDuration).Select(m => (string)m.Tags["outcome"]!).Order()),
            [PersonalizationTelemetry.ProviderFailures] = () =>
            {
                Assert.Equal(1, metrics.Sum(PersonalizationTelemetry.ProviderFailures, ("provider", "MoEngage"), ("reason", "failed_keys")));
                Assert.Equal(1, metrics.Sum(PersonalizationTelemetry.ProviderFailures));
            },
            [PersonalizationTelemetry.ProviderSkipped] = () => Assert.Equal(0, metrics.Sum(PersonalizationTelemetry.ProviderSkipped)),
            [PersonalizationTelemetry.ProviderBreakerState] = () => Assert.Equal(0, metrics.Gauge(PersonalizationTelemetry.ProviderBreakerState, ("provider", "MoEngage"))),
            [PersonalizationTelemetry.L2BreakerState] = () => Assert.Equal(0, metrics.Gauge(PersonalizationTelemetry.L2BreakerState)),
            [PersonalizationTelemetry.TrackingEvents] = () =>
            {
                Assert.Equal(2, metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", "TestRecorder"), ("outcome", "enqueued")));
                Assert.Equal(2, metrics.Sum(PersonalizationTelemetry.TrackingEvents, ("destination", "TestRecorder"), ("outcome", "delivered")));
                Assert.Equal(4, metrics.Sum(PersonalizationTelemetry.TrackingEvents));
            },
            [PersonalizationTelemetry.TrackingPauses] = () => Assert.Equal(0, metrics.Sum(PersonalizationTelemetry.TrackingPauses)),
            [PersonalizationTelemetry.TrackingQueueLength] = () => Assert.Equal(0, metrics.Gauge(PersonalizationTelemetry.TrackingQueueLength, ("destination", "TestRecorder"))),
            [PersonalizationTelemetry.TrackingPaused] = () => Assert.Equal(0, metrics.Gauge(PersonalizationTelemetry.TrackingPaused, ("destination", "TestRecorder"))),
            [PersonalizationTelemetry.ForeignClicks] = () => Assert.Equal(0, metrics.Sum(PersonalizationTelemetry.ForeignClicks)),
            [PersonalizationTelemetry.RequestsExcluded] = () => Assert.Equal(1, metrics.Sum(PersonalizationTelemetry.RequestsExcluded, ("reason", "bot"))),
        };
        Assert.Equal(MetricsCollector.AllInstruments.Order(), expected.Keys.Order());
        foreach (var check in expected.Values)
        {
            check();
        }

        var loads = Spans(spans, PersonalizationTracing.CacheLoad);
        Assert.Equal(["none", "provider"], loads.Select(s => Tag(s, PersonalizationTracing.OriginTag)).Order());
        Assert.All(loads, s => Assert.Equal("MoEngage", Tag(s, PersonalizationTracing.ProviderTag)));
        var reads = Spans(spans, PersonalizationTracing.L2Get);
        Assert.Equal(["miss", "miss"], reads.Select(s => Tag(s, PersonalizationTracing.OutcomeTag)));
        Assert.All(reads, s => Assert.Equal("MoEngage", Tag(s, PersonalizationTracing.ProviderTag)));
        var fetches = Spans(spans, PersonalizationTracing.ProviderFetch);
        Assert.Equal(["failure", "success"], fetches.Select(s => Tag(s, PersonalizationTracing.OutcomeTag)).Order());
        Assert.All(fetches, s => Assert.Equal("MoEngage", Tag(s, PersonalizationTracing.ProviderTag)));
        Assert.All(fetches, s => Assert.Same(loads.Single(l => l.TraceId == s.TraceId), s.Parent));
        var deliveries = Spans(spans, PersonalizationTracing.TrackingDelivery);
        Assert.All(deliveries, s =>
        {
            Assert.Equal("TestRecorder", Tag(s, PersonalizationTracing.DestinationTag));
            Assert.Equal("delivered", Tag(s, PersonalizationTracing.OutcomeTag));
            Assert.Equal(1, s.GetTagItem(PersonalizationTracing.AttemptTag));
        });
        Assert.Equal(2, deliveries.Sum(s => (int)s.GetTagItem(PersonalizationTracing.EventsTag)!));
        Assert.All(spans, s => Assert.Equal([Key], (string[])s.GetTagItem(PersonalizationTracing.KeysTag)!));

        // No tag value, of any measurement or span, holds an id or an email seen in the run.
        var values = MetricsCollector.AllInstruments.SelectMany(metrics.Measurements).SelectMany(m => m.Tags.Values)
            .Concat(spans.SelectMany(s => s.TagObjects.Select(t => t.Value)))
            .SelectMany(v => v is string[] many ? many : [Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty])
            .ToList();
        Assert.NotEmpty(values);
        Assert.All(values, value =>
        {
            foreach (var personal in new[] { VisitorId, OtherVisitorId, Email, "jane.doe", "example.com", "@" })
            {
                Assert.DoesNotContain(personal, value, StringComparison.OrdinalIgnoreCase);
            }
        });
    }

    private static List<Activity> Spans(IEnumerable<Activity> spans, string name) => [.. spans.Where(s => s.OperationName == name)];

    private static string? Tag(Activity span, string name) => span.GetTagItem(name) as string;

    private static async Task<string> SignedInPageAsync(TestApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Page);
        request.Headers.Add("Cookie", $"ssp_vid={VisitorId}");
        request.Headers.Add(TestUser.HeaderPrefix + "nameid", Email);
        using var response = await app.Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
