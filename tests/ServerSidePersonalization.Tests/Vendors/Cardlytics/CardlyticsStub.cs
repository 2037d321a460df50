using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Vendors.Cardlytics;

/// <summary>Settings and answers for tests that point the Cardlytics destination at a stub.</summary>
internal sealed class CardlyticsStub
{
    public const string ClientId = "cdlx-client";
    public const string Secret = "cdlx-s3cret-that-must-never-be-logged";
    public const string CustomerIdKey = "cdlx-hmac-k3y-that-must-never-be-logged";
    public const string StartSessionPath = "/v2/session/startSession";
    public const string ClientEventPath = "/v2/events/clientEvent";

    private int _sessions;

    public CardlyticsStub(StubVendorServer server)
    {
        Server = server;
        server.Respond = Answer;
    }

    public StubVendorServer Server { get; }

    /// <summary>How clientEvent is answered for a bearer token; 200 with a request id by default.</summary>
    public Func<string?, StubResponse> ClientEvent { get; set; } = _ => StubResponse.Json("""{"requestId":"380052b4-3a64-4952-b640-ba696eb9f44b"}""");

    /// <summary>How startSession is answered, given the number of the session (1, 2, ...); a token <c>tok-N</c> by default.</summary>
    public Func<int, StubResponse> StartSession { get; set; } = n => StubResponse.Json($$"""{"sessionToken":"tok-{{n}}"}""");

    /// <summary>The destination on (by its credentials), reporting to the stub, flushing and retrying quickly.</summary>
    public Dictionary<string, string?> Settings(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Personalization:Tracking:Cardlytics:ClientId"] = ClientId,
            ["Personalization:Tracking:Cardlytics:Secret"] = Secret,
            ["Personalization:Tracking:Cardlytics:BaseUrl"] = Server.Url.ToString(),
            ["Personalization:Tracking:Cardlytics:Section"] = "LatestOffers",
            ["Personalization:Tracking:Cardlytics:CustomerIdKey"] = CustomerIdKey,
            ["Personalization:Tracking:FlushInterval"] = "00:00:00.050",
            ["Personalization:Tracking:RetryBaseDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    public IReadOnlyList<RecordedRequest> Sessions => [.. Server.Requests.Where(r => r.Path == StartSessionPath)];

    public IReadOnlyList<RecordedRequest> EventRequests => [.. Server.Requests.Where(r => r.Path == ClientEventPath)];

    /// <summary>Every client event of every clientEvent request, in order.</summary>
    public IReadOnlyList<JsonElement> Events => [.. EventRequests.SelectMany(r => r.Json.GetProperty("clientEvents").EnumerateArray())];

    /// <summary>The x-source-customer-id of a customer id under <see cref="CustomerIdKey"/>.</summary>
    public static string SourceId(string customerId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(CustomerIdKey), Encoding.UTF8.GetBytes(customerId)));

    private StubResponse Answer(RecordedRequest request) => request.Path switch
    {
        StartSessionPath => StartSession(Interlocked.Increment(ref _sessions)),
        ClientEventPath => ClientEvent(request.Header("Authorization") is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null),
        _ => new StubResponse(404),
    };
}
