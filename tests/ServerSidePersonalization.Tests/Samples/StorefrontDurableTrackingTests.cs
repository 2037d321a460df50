using System.Globalization;
using System.Net;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;

namespace ServerSidePersonalization.Tests.Samples;

/// <summary>
/// The published Storefront sample as real processes, with durable tracking on a real <c>redis-server</c> and a stub
/// MoEngage: what a killed instance had not delivered, the next instances deliver, once.
/// </summary>
public sealed class StorefrontDurableTrackingTests : IAsyncLifetime
{
    private const string Events = "ssp:outbox:{MoEngage}:events";
    private const int PageViews = 500;
    private RedisServer _redis = null!;
    private StubVendorServer _moEngage = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _moEngage = await StubVendorServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _moEngage.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task SigKill_FiveHundredUndeliveredEvents_TwoNewInstancesDeliverEachExactlyOnce()
    {
        // MoEngage answers fetches, but is down for events while the first instance runs.
        var eventsUp = false;
        _moEngage.Respond = MoEngageStub.Route(
            MoEngageStub.Answer(has: key => key == "home-hero"),
            request => Volatile.Read(ref eventsUp)
                ? StubResponse.Json("""{"status":"success","message":"Your request has been accepted"}""")
                : StubResponse.Json("""{"status":"fail"}""", 503));

        await using (var first = await PublishedSample.StartAsync(Environment()))
        {
            using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = first.Url };
            await Parallel.ForEachAsync(Enumerable.Range(0, PageViews), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellationToken) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.TryAddWithoutValidation("User-Agent", TestApp.BrowserUserAgent);
                request.Headers.TryAddWithoutValidation("Cookie", $"ssp_vid=visitor-{i:000}");
                using var response = await client.SendAsync(request, cancellationToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains("Title of home-hero", await response.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
            });

            // Every page waited for its impression to be written: all 500 are in Redis now, none delivered.
            Assert.Equal(PageViews, await LengthAsync());
            Assert.True(
                await Eventually.TrueAsync(() => MoEngageStub.EventRequests(_moEngage).Count > 0, TimeSpan.FromSeconds(30)),
                "The first instance never tried to deliver:\n" + first.Output);
            Assert.Equal(PageViews, await LengthAsync());
            await first.KillAsync();
        }

        _moEngage.Requests.Clear();
        Volatile.Write(ref eventsUp, true);
        await using var second = await PublishedSample.StartAsync(Environment());
        await using var third = await PublishedSample.StartAsync(Environment());

        // Real processes deliver in real time (the killed one's batch only after ClaimAfter): bounded.
        Assert.True(
            await Eventually.TrueAsync(async () => await LengthAsync() == 0, TimeSpan.FromSeconds(90)),
            $"{await LengthAsync()} events left in the outbox.\n{second.Output}\n{third.Output}");
        var uuids = MoEngageStub.EventRequests(_moEngage).SelectMany(MoEngageStub.EventUuids).ToList();
        Assert.Equal(PageViews, uuids.Distinct().Count());
        Assert.Equal(PageViews, uuids.Count);
        Assert.Equal(PageViews, MoEngageStub.Actions(_moEngage).Select(a => a.CustomerId).Distinct().Count());
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["Personalization__Cache__Redis"] = _redis.ConnectionString,
        ["Personalization__Tracking__Durable"] = "true",
        ["Personalization__Tracking__ClaimAfter"] = "00:00:05",
        ["Personalization__Tracking__FlushInterval"] = "00:00:00.100",
        ["Personalization__Tracking__AppendTimeout"] = "00:00:05",
        ["Personalization__Provider"] = "MoEngage",
        ["Personalization__MoEngage__BaseUrl"] = _moEngage.Url.ToString(),
        ["Personalization__MoEngage__WorkspaceId"] = MoEngageStub.WorkspaceId,
        ["Personalization__MoEngage__ApiKey"] = MoEngageStub.ApiKey,
        ["Personalization__MoEngage__Timeout"] = "00:00:05",
        ["Personalization__MoEngage__HttpTimeout"] = "00:00:05",
        ["Personalization__Tracking__MoEngage__Enabled"] = "true",
    };

    private async Task<long> LengthAsync() =>
        long.Parse((await _redis.CliAsync("XLEN", Events)).Trim(), CultureInfo.InvariantCulture);
}
