using System.Net;
using System.Text.Json;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.Cardlytics;
using ServerSidePersonalization.Tests.Vendors.MoEngage;
using ServerSidePersonalization.Tests.Vendors.Optimizely;

namespace ServerSidePersonalization.Tests.Vendors;

/// <summary>
/// MoEngage, Dynamic Yield, Optimizely and Cardlytics all configured: one page view (a MoEngage hero and a Dynamic Yield
/// widget) and one click on each give each destination exactly one impression and one click per experience it reports,
/// each with the attribution of the variation rendered.
/// </summary>
public sealed class FourVendorsTests : IAsyncLifetime
{
    private StubVendorServer _moEngage = null!;
    private StubVendorServer _dynamicYield = null!;
    private StubVendorServer _optimizely = null!;
    private CardlyticsStub _cardlytics = null!;

    public async Task InitializeAsync()
    {
        _moEngage = await StubVendorServer.StartAsync();
        _moEngage.Respond = MoEngageStub.Route(MoEngageStub.Answer());
        _dynamicYield = await StubVendorServer.StartAsync();
        _dynamicYield.Respond = request => request.Path == "/v2/serve/user/choose"
            ? StubResponse.Json(DynamicYield.DynamicYieldStub.Body([DynamicYield.DynamicYieldStub.Recs(
                "recs", new System.Text.Json.Nodes.JsonObject(), DynamicYield.DynamicYieldStub.Slot("slot-1", "sku-1", "First"), DynamicYield.DynamicYieldStub.Slot("slot-2", "sku-2", "Second"))]))
            : new StubResponse(204);
        _optimizely = await StubVendorServer.StartAsync();
        _optimizely.Respond = _ => OptimizelyStub.Accepted();
        _cardlytics = new CardlyticsStub(await StubVendorServer.StartAsync());
    }

    public async Task DisposeAsync()
    {
        await _moEngage.DisposeAsync();
        await _dynamicYield.DisposeAsync();
        await _optimizely.DisposeAsync();
        await _cardlytics.Server.DisposeAsync();
    }

    [Fact]
    public async Task PageViewAndClicks_EachDestinationHearsEachExperienceOnceAsShownAndOnceAsClicked()
    {
        var settings = MoEngageStub.Settings(
            _moEngage,
            ("Personalization:Tracking:MoEngage:Enabled", "true"),
            ("Personalization:DynamicYield:Selectors:0", "recs"),
            ("Personalization:DynamicYield:ApiKey", "dy-key"),
            ("Personalization:DynamicYield:BaseUrl", _dynamicYield.Url.ToString()),
            ("Personalization:DynamicYield:Timeout", "00:00:05"),
            ("Personalization:DynamicYield:HttpTimeout", "00:00:05"),
            ("Personalization:Tracking:DynamicYield:Enabled", "true"),
            ("Personalization:Tracking:Cardlytics:ServeTokenField", "cid"));
        foreach (var (key, value) in OptimizelyStub.Settings(_optimizely).Concat(_cardlytics.Settings()))
        {
            settings[key] = value;
        }

        await using var app = await TestApp.StartAsync(settings);
        (string, string)[] cookies = [("ssp_vid", "visitor-1"), ("_dyid", "7282320792394869879"), ("_dyid_server", "7282320792394869879"), ("_dyjsession", "s-1")];

        var page = await app.GetPageAsync("/Mixed/Offers", cookies);
        using var activate = await app.GetAsync(OptimizelyStub.Link(page, "activate"), cookies);
        using var slot = await app.GetAsync(OptimizelyStub.Link(page, "slot-2"), cookies);

        Assert.Equal(HttpStatusCode.Redirect, activate.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, slot.StatusCode);
        var heroCid = MoEngageStub.Context("hero")["cid"]!.GetValue<string>();
        Assert.True(await Eventually.TrueAsync(() =>
            MoEngageStub.Actions(_moEngage).Count >= 2 && Engagements().Count >= 2 && OptimizelyStub.Events(_optimizely).Count >= 4 && _cardlytics.Events.Count >= 2));

        // MoEngage: its hero, shown once and clicked once.
        var actions = MoEngageStub.Actions(_moEngage).Select(a => a.Action).ToList();
        Assert.Equal(["MOE_PERSONALIZATION_MESSAGE_CLICKED", "MOE_PERSONALIZATION_MESSAGE_SHOWN"], actions.Select(a => a.GetProperty("action").GetString()).Order());
        Assert.All(actions, a => Assert.Equal(heroCid, a.GetProperty("attributes").GetProperty("cid").GetString()));

        // Dynamic Yield: its widget, one IMP and one SLOT_CLICK.
        Assert.Equal(["IMP", "SLOT_CLICK"], Engagements().Select(e => e.GetProperty("type").GetString()).Order());
        Assert.Equal("d-recs", Engagements().Single(e => e.GetProperty("type").GetString() == "IMP").GetProperty("decisionId").GetString());

        // Optimizely: every experience once delivered and once clicked, with its own attribution.
        var odp = OptimizelyStub.Events(_optimizely);
        Assert.Equal(4, odp.Count);
        var hero = odp.Where(e => e.GetProperty("data").GetProperty("experience_key").GetString() == "hero").ToList();
        var recs = odp.Where(e => e.GetProperty("data").GetProperty("experience_key").GetString() == "recs").ToList();
        Assert.Equal(["click", "delivery"], hero.Select(e => e.GetProperty("action").GetString()).Order());
        Assert.Equal(["click", "delivery"], recs.Select(e => e.GetProperty("action").GetString()).Order());
        Assert.All(hero, e => Assert.Equal(heroCid, e.GetProperty("data").GetProperty("campaign_id").GetString()));
        Assert.All(recs, e => Assert.Equal("d-recs", e.GetProperty("data").GetProperty("decision_id").GetString()));
        Assert.All(recs, e => Assert.Equal("777", e.GetProperty("data").GetProperty("variation_id").GetString()));

        // Cardlytics: the hero is its ad (its serve token is the cid); one impression and one ActivateOffer.
        Assert.Equal(["AdImpression/AdViewableImpression", "AdInteraction/ActivateOffer"],
            _cardlytics.Events.Select(e => e.GetProperty("clientEventType").GetString() + "/" + e.GetProperty("clientEvent").GetString()).Order());
        Assert.All(_cardlytics.Events, e => Assert.Equal(heroCid, e.GetProperty("clientEventMetadata").GetProperty("serveToken").GetString()));
    }

    private List<JsonElement> Engagements() =>
        [.. _dynamicYield.Requests.Where(r => r.Path == "/v2/collect/user/engagement").SelectMany(r => r.Json.GetProperty("engagements").EnumerateArray())];
}
