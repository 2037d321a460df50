using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Vendors.Optimizely;

/// <summary>Settings and answers for tests that point the ODP destination at a stub.</summary>
internal static partial class OptimizelyStub
{
    public const string ApiKey = "odp-private-k3y-that-must-never-be-logged";
    public const string EventsPath = "/v3/events";

    /// <summary>The ODP destination on (by its API key), reporting to the stub, flushing and retrying quickly.</summary>
    public static Dictionary<string, string?> Settings(StubVendorServer stub, params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Personalization:Tracking:Optimizely:ApiKey"] = ApiKey,
            ["Personalization:Tracking:Optimizely:BaseUrl"] = stub.Url.ToString(),
            ["Personalization:Tracking:FlushInterval"] = "00:00:00.050",
            ["Personalization:Tracking:RetryBaseDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>ODP's answer to an accepted batch.</summary>
    public static StubResponse Accepted() => StubResponse.Json("""{"title":"Accepted","status":202,"timestamp":"2026-11-25T08:00:00.000Z"}""", 202);

    public static IReadOnlyList<RecordedRequest> Requests(StubVendorServer stub) => [.. stub.Requests.Where(r => r.Path == EventsPath)];

    /// <summary>Every event of every request the stub received, in order.</summary>
    public static IReadOnlyList<JsonElement> Events(StubVendorServer stub) =>
        [.. Requests(stub).SelectMany(r => r.Json.EnumerateArray())];

    /// <summary>The tracked links of a page rendered from Pages/Offers/Offer.cshtml, by element id.</summary>
    public static string Link(string page, string id) =>
        WebUtility.HtmlDecode(Regex.Match(page, $"<a id=\"{id}\" href=\"([^\"]+)\"").Groups[1].Value);

    /// <summary>A Local experiences file with one experience, <c>offer</c>, whose payload holds a serve token.</summary>
    public static string OfferFile(ExperienceFiles files) => files.WriteSingle(
        ("offer", new { Title = "Cash back at Acme", serveToken = "91e471aed3c04b81bee792f23ad4859d", displayPosition = 2 }));
}
