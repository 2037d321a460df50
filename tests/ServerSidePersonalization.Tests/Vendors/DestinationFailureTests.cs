using System.Net;
using Microsoft.AspNetCore.Http;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.Cardlytics;
using ServerSidePersonalization.Tests.Vendors.Optimizely;

namespace ServerSidePersonalization.Tests.Vendors;

/// <summary>
/// The Optimizely and Cardlytics destinations answering badly: the page is never affected; a transient failure (429
/// with and without Retry-After, 500, a hang, a reset connection) loses nothing, the event arrives once the vendor
/// recovers; a 400 drops the event, counted and logged once; refused credentials pause the destination with one error
/// naming the setting, and the event is delivered once they are accepted again.
/// </summary>
public sealed class DestinationFailureTests : IAsyncLifetime, IDisposable
{
    private readonly ExperienceFiles _files = new();
    private StubVendorServer _stub = null!;

    public async Task InitializeAsync() => _stub = await StubVendorServer.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    public void Dispose() => _files.Dispose();

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var destination in new[] { "Optimizely", "Cardlytics" })
        {
            foreach (var failure in new[] { "400", "429", "429-retry-after", "500", "hang", "reset" })
            {
                data.Add(destination, failure);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task VendorFails_PageUnaffected_TransientKeptAndDelivered_RejectionCountedAndLoggedOnce(string destination, string failure)
    {
        var eventsPath = destination == "Optimizely" ? OptimizelyStub.EventsPath : CardlyticsStub.ClientEventPath;
        var failed = 0;
        StubResponse Respond(RecordedRequest request)
        {
            if (request.Path == CardlyticsStub.StartSessionPath)
            {
                return StubResponse.Json("""{"sessionToken":"tok-1"}""");
            }

            if (Interlocked.Increment(ref failed) > 1)
            {
                return destination == "Optimizely" ? OptimizelyStub.Accepted() : StubResponse.Json("{}");
            }

            return failure switch
            {
                "400" => StubResponse.Json("""{"title":"Bad Request"}""", 400),
                "429" => new StubResponse(429),
                "429-retry-after" => new StubResponse(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "0" }),
                "500" => new StubResponse(500),
                "hang" => new StubResponse(200, AnswerWhen: StubResponse.Never),
                _ => new StubResponse(200, Writer: response => { response.HttpContext.Abort(); return Task.CompletedTask; }),
            };
        }

        var settings = destination == "Optimizely"
            ? OptimizelyStub.Settings(_stub, ("Personalization:Tracking:Optimizely:HttpTimeout", "00:00:01"))
            : new CardlyticsStub(_stub).Settings(("Personalization:Tracking:Cardlytics:HttpTimeout", "00:00:01"));
        _stub.Respond = Respond;

        settings["Personalization:Local:File"] = OptimizelyStub.OfferFile(_files);
        await using var app = await TestApp.StartAsync(settings);
        using var metrics = new MetricsCollector(app.Services);

        var page = await app.GetPageAsync("/Offers/Offer", ("ssp_vid", "visitor-1"));

        Assert.Contains("Cash back at Acme", page, StringComparison.Ordinal);
        if (failure == "400")
        {
            Assert.True(await Eventually.TrueAsync(() => metrics.Sum("personalization.tracking.events", ("destination", destination), ("outcome", "dropped")) >= 1));
            Assert.Equal(1, metrics.Sum("personalization.tracking.events", ("destination", destination), ("outcome", "dropped")));
            var rejected = Assert.Single(app.Logs.Named("TrackingBatchRejected"));
            Assert.Contains("HTTP 400", rejected.Message, StringComparison.Ordinal);
            Assert.Single(_stub.Requests, r => r.Path == eventsPath);
        }
        else
        {
            Assert.True(await Eventually.TrueAsync(() => _stub.Requests.Count(r => r.Path == eventsPath) >= 2, TimeSpan.FromSeconds(20)));
            Assert.True(await Eventually.TrueAsync(() => metrics.Sum("personalization.tracking.events", ("destination", destination), ("outcome", "delivered")) >= 1));
            Assert.Equal(0, metrics.Sum("personalization.tracking.events", ("destination", destination), ("outcome", "dropped")));
            Assert.Empty(app.Logs.Named("TrackingBatchRejected"));
        }
    }

    [Theory]
    [InlineData("Optimizely", 401, "Personalization:Tracking:Optimizely:ApiKey")]
    [InlineData("Optimizely", 403, "Personalization:Tracking:Optimizely:ApiKey")]
    [InlineData("Cardlytics", 403, "ClientId")]
    [InlineData("Cardlytics", 401, "ClientId")]
    public async Task CredentialsRefused_PageUnaffected_DestinationPausedWithOneErrorThenDelivers(string destination, int status, string setting)
    {
        var eventsPath = destination == "Optimizely" ? OptimizelyStub.EventsPath : CardlyticsStub.ClientEventPath;
        // Settings first: a CardlyticsStub answers the stub with its own defaults, which the answer below replaces.
        var settings = destination == "Optimizely" ? OptimizelyStub.Settings(_stub) : new CardlyticsStub(_stub).Settings();
        var refused = true;
        _stub.Respond = request =>
            request.Path == CardlyticsStub.StartSessionPath ? StubResponse.Json("""{"sessionToken":"tok-1"}""")
            : Volatile.Read(ref refused) ? StubResponse.Json("""{"title":"refused"}""", status)
            : destination == "Optimizely" ? OptimizelyStub.Accepted() : StubResponse.Json("{}");
        settings["Personalization:Local:File"] = OptimizelyStub.OfferFile(_files);
        var clock = new ObservedClock();
        await using var app = await TestApp.StartAsync(settings, time: clock);
        using var metrics = new MetricsCollector(app.Services);

        Assert.Contains("Cash back at Acme", await app.GetPageAsync("/Offers/Offer", ("ssp_vid", "visitor-1")), StringComparison.Ordinal);
        Assert.True(
            await clock.RunUntilAsync(() => app.Logs.Named("TrackingDestinationUnauthorized").Count == 1, TimeSpan.FromMinutes(1)),
            "armed: " + clock.DescribeArmed() + "; requests: " + string.Join(", ", _stub.Requests.Select(r => r.Path)));
        var error = Assert.Single(app.Logs.Named("TrackingDestinationUnauthorized"));
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        var refusedRequests = _stub.Requests.Count(r => r.Path == eventsPath);

        Volatile.Write(ref refused, false);
        await clock.AdvanceWhenArmedAsync(TimeSpan.FromMinutes(5));
        Assert.True(await Eventually.TrueAsync(() => metrics.Sum("personalization.tracking.events", ("destination", destination), ("outcome", "delivered")) == 1));
        Assert.Equal(refusedRequests + 1, _stub.Requests.Count(r => r.Path == eventsPath));
        Assert.Equal(0, metrics.Sum("personalization.tracking.events", ("destination", destination), ("outcome", "dropped")));
        Assert.Single(app.Logs.Named("TrackingDestinationUnauthorized"));
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains("tok-1", StringComparison.Ordinal));
    }
}
