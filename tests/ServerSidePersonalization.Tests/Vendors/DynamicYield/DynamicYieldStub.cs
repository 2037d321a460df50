using System.Text.Json.Nodes;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Vendors.DynamicYield;

/// <summary>Settings and choose answers for tests that point the library at a stub Dynamic Yield.</summary>
internal static class DynamicYieldStub
{
    public const string ApiKey = "dy-choose-k3y-that-must-never-be-logged";
    public const string ChoosePath = "/v2/serve/user/choose";

    /// <summary>
    /// Dynamic Yield's destinations on (whatever the provider), reporting to the stub with <paramref name="apiKey"/>,
    /// flushing and retrying quickly.
    /// </summary>
    public static Dictionary<string, string?> TrackingSettings(StubVendorServer stub, string apiKey, params (string Key, string? Value)[] extra) =>
        With(
            new Dictionary<string, string?>
            {
                ["Personalization:DynamicYield:BaseUrl"] = stub.Url.ToString(),
                ["Personalization:DynamicYield:ApiKey"] = apiKey,
                ["Personalization:Tracking:DynamicYield:Enabled"] = "true",
                ["Personalization:Tracking:FlushInterval"] = "00:00:00.050",
                ["Personalization:Tracking:RetryBaseDelay"] = "00:00:00.010",
            },
            extra);

    public static Dictionary<string, string?> Settings(StubVendorServer stub, params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Personalization:Provider"] = "DynamicYield",
            ["Personalization:DynamicYield:BaseUrl"] = stub.Url.ToString(),
            ["Personalization:DynamicYield:ApiKey"] = ApiKey,

            // Tests share two cores; a page must not miss a stub that answers at once because the machine was busy.
            // Tests about the budget set it back explicitly.
            ["Personalization:DynamicYield:Timeout"] = "00:00:05",
            ["Personalization:DynamicYield:HttpTimeout"] = "00:00:05",

            // Engagements (IMP for what the page rendered) would reach the same stub; these tests count choose calls.
            ["Personalization:Tracking:DynamicYield:Enabled"] = "false",
        };
        return With(settings, extra);
    }

    private static Dictionary<string, string?> With(Dictionary<string, string?> settings, (string Key, string? Value)[] extra)
    {
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A <c>CUSTOM_JSON</c> choice: one variation whose payload data is <paramref name="data"/>.</summary>
    public static JsonObject CustomJson(string name, JsonObject data, string decisionId = "d-1", long variationId = 501) => new()
    {
        ["id"] = 1001,
        ["name"] = name,
        ["type"] = "DECISION",
        ["decisionId"] = decisionId,
        ["variations"] = new JsonArray(new JsonObject
        {
            ["id"] = variationId,
            ["payload"] = new JsonObject { ["type"] = "CUSTOM_JSON", ["data"] = data },
            ["analyticsMetadata"] = new JsonObject(),
        }),
    };

    /// <summary>A <c>RECS</c> choice: the campaign's custom fields and its slots.</summary>
    public static JsonObject Recs(string name, JsonObject custom, params JsonObject[] slots) => new()
    {
        ["id"] = 2002,
        ["name"] = name,
        ["type"] = "RECS_DECISION",
        ["decisionId"] = "d-recs",
        ["variations"] = new JsonArray(new JsonObject
        {
            ["id"] = 777,
            ["payload"] = new JsonObject
            {
                ["type"] = "RECS",
                ["data"] = new JsonObject { ["custom"] = custom, ["slots"] = new JsonArray([.. slots]) },
            },
        }),
    };

    public static JsonObject Slot(string slotId, string sku, string productName) => new()
    {
        ["slotId"] = slotId,
        ["sku"] = sku,
        ["productData"] = new JsonObject { ["name"] = productName, ["price"] = 12.5 },
    };

    /// <summary>A control group: a choice with <c>"variations": null</c> or <c>[]</c>.</summary>
    public static JsonObject Control(string name, bool nullVariations) => new()
    {
        ["id"] = 3003,
        ["name"] = name,
        ["type"] = "DECISION",
        ["decisionId"] = "d-control",
        ["variations"] = nullVariations ? null : new JsonArray(),
    };

    public static JsonObject Cookie(string name, string value, JsonNode maxAge) => new() { ["name"] = name, ["value"] = value, ["maxAge"] = maxAge };

    /// <summary>The cookies Dynamic Yield sends a new visitor: <c>_dyid_server=123</c> (a year, as text) and <c>_dyjsession=abc</c>.</summary>
    public static JsonObject[] NewVisitorCookies() =>
        [Cookie("_dyid_server", "123", "31540000"), Cookie("_dyjsession", "abc", 1800)];

    /// <summary>The body of a choose answer.</summary>
    public static string Body(IEnumerable<JsonObject> choices, IEnumerable<JsonObject>? cookies = null) => new JsonObject
    {
        ["choices"] = new JsonArray([.. choices.Select(c => c.DeepClone())]),
        ["cookies"] = new JsonArray([.. (cookies ?? []).Select(c => c.DeepClone())]),
    }.ToJsonString();

    /// <summary>Answers every choose call with the given choices that it asked for by name, and the given cookies.</summary>
    public static Func<RecordedRequest, StubResponse> Answer(IEnumerable<JsonObject> choices, IEnumerable<JsonObject>? cookies = null)
    {
        var all = choices.ToList();
        var set = cookies?.ToList();
        return request =>
        {
            var names = Names(request);
            return StubResponse.Json(Body(all.Where(c => names.Contains((string)c["name"]!)), set));
        };
    }

    public static Func<RecordedRequest, StubResponse> Answer(params JsonObject[] choices) => Answer(choices, cookies: null);

    /// <summary>The choose calls the stub received, in order.</summary>
    public static IReadOnlyList<RecordedRequest> Chooses(StubVendorServer stub) => [.. stub.Requests.Where(r => r.Path == ChoosePath)];

    /// <summary>The selector names of a choose call.</summary>
    public static IReadOnlyList<string> Names(RecordedRequest request) =>
        [.. JsonNode.Parse(request.Body)!["selector"]!["names"]!.AsArray().Select(n => (string)n!)];

    /// <summary>The body of a choose call as a node, for <see cref="JsonNode.DeepEquals"/>.</summary>
    public static JsonNode Json(RecordedRequest request) => JsonNode.Parse(request.Body)!;
}
