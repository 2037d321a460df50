using System.Text.Json;
using System.Text.Json.Nodes;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Vendors.MoEngage;

/// <summary>Settings and answers for tests that point the library at a stub MoEngage.</summary>
internal static class MoEngageStub
{
    public const string WorkspaceId = "WS4TESTS";
    public const string ApiKey = "k3y-that-must-never-be-logged";

    public static Dictionary<string, string?> Settings(StubVendorServer stub, params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Personalization:Provider"] = "MoEngage",
            ["Personalization:MoEngage:BaseUrl"] = stub.Url.ToString(),
            ["Personalization:MoEngage:WorkspaceId"] = WorkspaceId,
            ["Personalization:MoEngage:ApiKey"] = ApiKey,

            // Tests share two cores; a page must not miss a stub that answers at once because the machine was busy.
            // Tests about the budget set it back explicitly. The fetch's own timeout differs from the budget, so a test
            // counting armed budget timers on a fake clock does not count it too.
            ["Personalization:MoEngage:Timeout"] = "00:00:05",
            ["Personalization:MoEngage:HttpTimeout"] = "00:00:06",

            // Reporting is on by default with the MoEngage provider; tests about tracking turn it back on, the others
            // count only fetches.
            ["Personalization:Tracking:MoEngage:Enabled"] = "false",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The experience_context MoEngage would send for <paramref name="key"/>.</summary>
    public static JsonObject Context(string key) => new()
    {
        ["cid"] = $"65eae5738ea5032b0ef60138_F_T_WP_AB_2_P_0_AU_{key}",
        ["experience"] = $"Experience {key}",
        ["moe_locale_id"] = "0",
        ["moe_variation_id"] = "2",
        ["audience_name"] = "All Users",
        ["audience_id"] = "42D",
        ["type"] = "Web Personalization",
    };

    /// <summary>A 500 while <paramref name="failing"/> holds, else the answer of <see cref="Answer"/>: a vendor outage a test ends.</summary>
    public static Func<RecordedRequest, StubResponse> AnswerUnless(Func<bool> failing) => request =>
        failing() ? StubResponse.Json("""{"title":"Internal Server Error"}""", 500) : Answer()(request);

    /// <summary>Answers every requested key for which <paramref name="has"/> holds, with a Title and a CtaUrl.</summary>
    public static Func<RecordedRequest, StubResponse> Answer(Func<string, bool>? has = null, Func<string, string>? title = null) => request =>
    {
        var experiences = new JsonObject();
        foreach (var key in request.Json.GetProperty("experience_key").EnumerateArray().Select(k => k.GetString()!))
        {
            if (has?.Invoke(key) == false)
            {
                continue;
            }

            experiences[key] = new JsonObject
            {
                ["payload"] = new JsonObject
                {
                    ["Title"] = new JsonObject { ["value"] = title?.Invoke(key) ?? $"Title of {key}", ["data_type"] = "string" },
                    ["CtaUrl"] = new JsonObject { ["value"] = $"/landing/{key}", ["data_type"] = "string" },
                },
                ["experience_context"] = Context(key),
            };
        }

        return StubResponse.Json(new JsonObject { ["experiences"] = experiences }.ToJsonString());
    };

    /// <summary>Answers fetches with <paramref name="fetch"/> and events with <paramref name="events"/> (200 success by default).</summary>
    public static Func<RecordedRequest, StubResponse> Route(Func<RecordedRequest, StubResponse> fetch, Func<RecordedRequest, StubResponse>? events = null) =>
        request => request.Path == "/v1/experiences/events"
            ? (events ?? (_ => StubResponse.Json("""{"status":"success","message":"Your request has been accepted"}""")))(request)
            : fetch(request);

    /// <summary>The actions of every events request the stub received, in order, with the customer_id of their element.</summary>
    public static IReadOnlyList<(string CustomerId, JsonElement Action)> Actions(StubVendorServer stub) =>
        [.. EventRequests(stub)
            .SelectMany(r => r.Json.GetProperty("elements").EnumerateArray())
            .SelectMany(e => e.GetProperty("actions").EnumerateArray().Select(a => (e.GetProperty("customer_id").GetString()!, a)))];

    /// <summary>The customer_id of each element of an events request, in order.</summary>
    public static IReadOnlyList<string> CustomerIds(RecordedRequest request) =>
        [.. request.Json.GetProperty("elements").EnumerateArray().Select(e => e.GetProperty("customer_id").GetString()!)];

    /// <summary>The moe_event_uuid of every action of an events request, in order.</summary>
    public static IReadOnlyList<string> EventUuids(RecordedRequest request) =>
        [.. request.Json.GetProperty("elements").EnumerateArray()
            .SelectMany(e => e.GetProperty("actions").EnumerateArray())
            .Select(a => a.GetProperty("moe_event_uuid").GetString()!)];

    public static IReadOnlyList<RecordedRequest> EventRequests(StubVendorServer stub) =>
        [.. stub.Requests.Where(r => r.Path == "/v1/experiences/events")];

    public static IReadOnlyList<string> Keys(RecordedRequest request) =>
        [.. request.Json.GetProperty("experience_key").EnumerateArray().Select(k => k.GetString()!)];
}
