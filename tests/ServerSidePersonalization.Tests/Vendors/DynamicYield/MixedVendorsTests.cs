using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;

namespace ServerSidePersonalization.Tests.Vendors.DynamicYield;

/// <summary>
/// One page renders a MoEngage experience and a Dynamic Yield recommendations widget (routed by
/// <c>Personalization:DynamicYield:Selectors</c>): each vendor is asked only for its keys and hears only of its own
/// experiences, the widget's impression and slot click included.
/// </summary>
public sealed partial class MixedVendorsTests : IAsyncLifetime
{
    private const string Dyid = "7282320792394869879";
    private StubVendorServer _moEngage = null!;
    private StubVendorServer _dynamicYield = null!;

    public async Task InitializeAsync()
    {
        _moEngage = await StubVendorServer.StartAsync();
        _moEngage.Respond = MoEngageStub.Route(MoEngageStub.Answer());
        _dynamicYield = await StubVendorServer.StartAsync();
        _dynamicYield.Respond = request => request.Path == "/v2/serve/user/choose"
            ? StubResponse.Json(ChooseAnswer(request))
            : new StubResponse(204);
    }

    public async Task DisposeAsync()
    {
        await _moEngage.DisposeAsync();
        await _dynamicYield.DisposeAsync();
    }

    [Fact]
    public async Task Page_MoEngageHeroAndDynamicYieldWidget_EachVendorGetsItsOwnFetchImpressionAndClick()
    {
        await using var app = await TestApp.StartAsync(MoEngageStub.Settings(
            _moEngage,
            ("Personalization:Tracking:MoEngage:Enabled", "true"),
            ("Personalization:Tracking:FlushInterval", "00:00:00.050"),
            ("Personalization:DynamicYield:Selectors:0", "recs"),
            ("Personalization:DynamicYield:Selectors:1", "unrendered"),
            ("Personalization:DynamicYield:ApiKey", "dy-key"),
            ("Personalization:DynamicYield:BaseUrl", _dynamicYield.Url.ToString()),
            ("Personalization:DynamicYield:Timeout", "00:00:05"),
            ("Personalization:DynamicYield:HttpTimeout", "00:00:05")));
        (string, string)[] cookies = [("ssp_vid", "visitor-1"), ("_dyid", Dyid), ("_dyid_server", Dyid), ("_dyjsession", "session-1")];

        var page = await app.GetPageAsync("/Mixed/Widget", cookies);
        var links = RecommendationLink().Matches(page).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        using var click = await app.GetAsync(links[1], cookies);

        Assert.Contains("<h1>Title of hero</h1>", page, StringComparison.Ordinal);
        Assert.Equal(2, links.Count);
        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal("/products/sku-2", click.Headers.Location?.OriginalString);

        // Each vendor was asked for its own keys, in one call each.
        Assert.Equal(["hero"], MoEngageStub.Keys(Assert.Single(_moEngage.Requests, r => r.Path == "/v1/experiences/fetch")));
        var choose = Assert.Single(_dynamicYield.Requests, r => r.Path == "/v2/serve/user/choose");
        Assert.Equal(["recs", "unrendered"], choose.Json.GetProperty("selector").GetProperty("names").EnumerateArray().Select(n => n.GetString()));

        // Each vendor heard of its own experience only: MoEngage one SHOWN, Dynamic Yield one IMP for the widget (none
        // for the choice fetched but not rendered) and one SLOT_CLICK.
        Assert.True(await Eventually.TrueAsync(() => Engagements().Any(e => e.GetProperty("type").GetString() == "SLOT_CLICK")));
        Assert.True(await Eventually.TrueAsync(() => Engagements().Any(e => e.GetProperty("type").GetString() == "IMP")));
        Assert.True(await Eventually.TrueAsync(() => MoEngageStub.Actions(_moEngage).Count > 0));
        var shown = Assert.Single(MoEngageStub.Actions(_moEngage));
        Assert.Equal("MOE_PERSONALIZATION_MESSAGE_SHOWN", shown.Action.GetProperty("action").GetString());
        Assert.Equal(MoEngageStub.Context("hero")["cid"]!.GetValue<string>(), shown.Action.GetProperty("attributes").GetProperty("cid").GetString());
        var engagements = Engagements();
        Assert.Equal(2, engagements.Count);
        var impression = Assert.Single(engagements, e => e.GetProperty("type").GetString() == "IMP");
        Assert.Equal("decision-recs", impression.GetProperty("decisionId").GetString());
        Assert.Equal([701], impression.GetProperty("variations").EnumerateArray().Select(v => v.GetInt64()));
        var slotClick = Assert.Single(engagements, e => e.GetProperty("type").GetString() == "SLOT_CLICK");
        Assert.Equal("slot-2", slotClick.GetProperty("slotId").GetString());
    }

    private List<JsonElement> Engagements() =>
        [.. _dynamicYield.Requests.Where(r => r.Path == "/v2/collect/user/engagement").SelectMany(r => r.Json.GetProperty("engagements").EnumerateArray())];

    private static string ChooseAnswer(RecordedRequest request)
    {
        var names = request.Json.GetProperty("selector").GetProperty("names").EnumerateArray().Select(n => n.GetString()!);
        var choices = names.Select(name => new
        {
            id = 7,
            name,
            type = "RECS_DECISION",
            decisionId = "decision-" + name,
            variations = new[]
            {
                new
                {
                    id = 701,
                    payload = new
                    {
                        type = "RECS",
                        data = new
                        {
                            custom = new { Title = "Recommended" },
                            slots = new[]
                            {
                                new { slotId = "slot-1", sku = "sku-1", productData = new { name = "First" } },
                                new { slotId = "slot-2", sku = "sku-2", productData = new { name = "Second" } },
                            },
                        },
                    },
                },
            },
        });
        return JsonSerializer.Serialize(new { choices });
    }

    [GeneratedRegex("<a class=\"rec\" href=\"(/_personalization/click\\?t=[^\"]+)\"")]
    private static partial Regex RecommendationLink();
}
