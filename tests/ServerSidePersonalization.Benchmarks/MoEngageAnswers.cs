using System.Text.Json.Nodes;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Benchmarks;

/// <summary>What the stub MoEngage answers when it is healthy.</summary>
internal static class MoEngageAnswers
{
    /// <summary>The Title every experience carries, so a page shows whether it was personalized.</summary>
    public const string Title = "Hello";

    public const string FetchPath = "/v1/experiences/fetch";

    public const string EventsPath = "/v1/experiences/events";

    /// <summary>A stub MoEngage on loopback that answers <see cref="Healthy"/> until told otherwise.</summary>
    public static async Task<StubVendorServer> StartStubAsync()
    {
        var stub = await StubVendorServer.StartAsync();
        stub.Respond = Healthy;
        return stub;
    }

    /// <summary>A fetch answered with every requested key; an events request accepted.</summary>
    public static StubResponse Healthy(RecordedRequest request) =>
        request.Path == EventsPath ? StubResponse.Json("""{"status":"success"}""") : Experiences(request);

    /// <summary>Every requested key, with a Title and the experience_context that impressions report back.</summary>
    public static StubResponse Experiences(RecordedRequest request)
    {
        var experiences = new JsonObject();
        foreach (var key in request.Json.GetProperty("experience_key").EnumerateArray())
        {
            experiences[key.GetString()!] = new JsonObject
            {
                ["payload"] = new JsonObject { ["Title"] = new JsonObject { ["value"] = Title, ["data_type"] = "string" } },
                ["experience_context"] = new JsonObject { ["cid"] = "c", ["moe_variation_id"] = "1" },
            };
        }

        return StubResponse.Json(new JsonObject { ["experiences"] = experiences }.ToJsonString());
    }
}
