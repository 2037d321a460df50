using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ServerSidePersonalization.Http;
using ServerSidePersonalization.Vendors.MoEngage;

namespace ServerSidePersonalization.Benchmarks.Micro;

/// <summary>
/// A full tracking batch as MoEngage's events destination sends it: 100 SHOWN actions of 100 visitors, each carrying
/// the experience_context it was fetched with, serialized by the destination's own source-generated serializer into the
/// request content.
/// </summary>
public class BatchSerializationBenchmarks
{
    private MoEngageEventsRequest _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var context = JsonDocument.Parse("""{"cid":"6512a0f1c2d3e4f5a6b7c8d9","moe_variation_id":"1","moe_locale_id":"0"}""");
        var attributes = context.RootElement.Clone();
        _batch = new MoEngageEventsRequest([.. Enumerable.Range(0, 100).Select(i => new MoEngageEventElement(
            Comparison.Visitors.Id(i),
            UserTimezoneOffset: 19800,
            [new MoEngageEventAction(MoEngageEventsDestination.Shown, Guid.NewGuid().ToString("D"), 1_764_000_000 + i, "web", attributes)]))]);
    }

    [Benchmark]
    public long MoEngageEvents100()
    {
        using var content = BoundedJson.Content(_batch, MoEngageJsonContext.Default.MoEngageEventsRequest);
        return content.Headers.ContentLength ?? 0;
    }
}
