using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry;
using OpenTelemetry.Trace;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Samples;

/// <summary>
/// The sample's OpenTelemetry set-up as its Program.cs makes it: the test only adds a processor that records ended
/// spans to the tracer provider, so a library span reaches it only if the sample's own <c>AddSource</c> named the
/// library's source.
/// </summary>
public sealed class StorefrontTelemetryTests
{
    [Fact]
    public async Task Home_PageView_TracesTheRequestAndTheLibrarysSpansInOneTrace()
    {
        var recorder = new RecordingProcessor();
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(recorder))));
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });

        // Other tests run in this process and the sources are process-wide: this request is told apart by its trace id.
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("User-Agent", TestApp.BrowserUserAgent);
        request.Headers.TryAddWithoutValidation("Cookie", "ssp_vid=telemetry-visitor");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.True(
            await Eventually.TrueAsync(() => recorder.Ended.Any(a => a.TraceId == trace && a.Source.Name == "Microsoft.AspNetCore")),
            "The request's own span was not traced.");
        var spans = recorder.Ended.Where(a => a.TraceId == trace).ToList();
        var load = Assert.Single(spans, a => a.OperationName == PersonalizationTracing.CacheLoad);
        Assert.Equal(PersonalizationTracing.ActivitySourceName, load.Source.Name);
        Assert.Contains("home-hero", (string[])load.GetTagItem(PersonalizationTracing.KeysTag)!);
        Assert.Contains(spans, a => a.OperationName == PersonalizationTracing.ProviderFetch && a.ParentSpanId == load.SpanId);
    }

    private sealed class RecordingProcessor : BaseProcessor<Activity>
    {
        public ConcurrentQueue<Activity> Ended { get; } = new();

        public override void OnEnd(Activity data)
        {
            Ended.Enqueue(data);
            Eventually.Notify();
        }
    }
}
