using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;

namespace ServerSidePersonalization.Tests.AspNetCore;

/// <summary>When fetches start and how keys are grouped into calls, observed at a stub MoEngage.</summary>
public sealed class PersonalizationFeatureTests : IAsyncLifetime
{
    private StubVendorServer _stub = null!;

    public async Task InitializeAsync()
    {
        _stub = await StubVendorServer.StartAsync();
        _stub.Respond = MoEngageStub.Answer();
    }

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task GetExperienceAsync_DeclaredOnThePage_OneCallForDeclaredKeysAndOneForTheUndeclared()
    {
        await using var app = await TestApp.StartAsync(MoEngageStub.Settings(_stub));

        var page = await app.GetPageAsync("/Tags/Declared", ("ssp_vid", "visitor-1"));

        var calls = _stub.Requests.Select(MoEngageStub.Keys).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(["first", "second"], calls[0]);
        Assert.Equal(["third"], calls[1]);
        Assert.Contains("<p id=\"third\">Title of third</p>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Middleware_DeclaredEndpoint_FetchStartsBeforeTheEndpointAsks()
    {
        var fetchArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _stub.Respond = request =>
        {
            fetchArrived.TrySetResult();
            return MoEngageStub.Answer()(request);
        };
        await using var app = await TestApp.StartAsync(MoEngageStub.Settings(_stub), endpoints: app =>
            app.MapGet("/early", async (HttpContext context) =>
            {
                // The application's own work: it finishes only once the fetch has reached the vendor, which can only
                // happen if the middleware started it without being asked.
                await fetchArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
                var hero = await context.GetPersonalization().GetExperienceAsync("hero");
                return hero?.GetString("Title");
            }).WithExperiences("hero", "footer"));

        using var response = await app.GetAsync("/early", ("ssp_vid", "visitor-1"));

        Assert.Equal("Title of hero", await response.Content.ReadAsStringAsync());
        Assert.Equal(["footer", "hero"], MoEngageStub.Keys(Assert.Single(_stub.Requests)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetExperienceAsync_SameKeyManyTimesConcurrently_OneCall()
    {
        await using var app = await TestApp.StartAsync(MoEngageStub.Settings(_stub), endpoints: app =>
            app.MapGet("/many-reads", async (HttpContext context) =>
            {
                var personalization = context.GetPersonalization();
                var reads = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => personalization.GetExperienceAsync("hero").AsTask()));
                return reads.Count(r => r?.GetString("Title") == "Title of hero");
            }));

        using var response = await app.GetAsync("/many-reads", ("ssp_vid", "visitor-1"));

        Assert.Equal("20", await response.Content.ReadAsStringAsync());
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task Middleware_SiteWideKeys_StartForPagesButNotForOtherEndpointsOrMisses()
    {
        await using var app = await TestApp.StartAsync(
            MoEngageStub.Settings(_stub, ("Personalization:Experiences:0", "banner")),
            endpoints: app => app.MapGet("/plain", () => "no experiences here"));

        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync("/missing", ("ssp_vid", "visitor-1"))).StatusCode);
        Assert.Equal("no experiences here", await (await app.GetAsync("/plain", ("ssp_vid", "visitor-1"))).Content.ReadAsStringAsync());
        Assert.Empty(_stub.Requests);

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        // The page itself does not declare "hero", so that one is fetched, in a call of its own, when the view asks.
        // The page never waits for "banner" (it does not render it), so its call may reach the stub after the page.
        Assert.True(await Eventually.TrueAsync(() => _stub.Requests.Count >= 2));
        Assert.Equal(["banner", "hero"], _stub.Requests.Select(r => Assert.Single(MoEngageStub.Keys(r))).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Prefetch_KeysStartedTogether_OneCall()
    {
        await using var app = await TestApp.StartAsync(MoEngageStub.Settings(_stub), endpoints: app =>
            app.MapGet("/prefetch", async (HttpContext context) =>
            {
                var personalization = context.GetPersonalization();
                personalization.Prefetch("a", "b", "c");
                var b = await personalization.GetExperienceAsync("b");
                var c = await personalization.GetExperienceAsync("c");
                return $"{b?.GetString("Title")}|{c?.GetString("Title")}";
            }));

        using var response = await app.GetAsync("/prefetch", ("ssp_vid", "visitor-1"));

        Assert.Equal("Title of b|Title of c", await response.Content.ReadAsStringAsync());
        Assert.Equal(["a", "b", "c"], MoEngageStub.Keys(Assert.Single(_stub.Requests)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("new\nline")]
    public async Task GetExperienceAsync_InvalidKey_ThrowsArgumentException(string key)
    {
        await using var app = await TestApp.StartAsync(endpoints: app =>
            app.MapGet("/bad-key", async (HttpContext context) =>
            {
                var error = await Record.ExceptionAsync(() => context.GetPersonalization().GetExperienceAsync(key).AsTask());
                return error?.GetType().Name;
            }));

        using var response = await app.GetAsync("/bad-key");

        Assert.Equal(nameof(ArgumentException), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetPersonalization_WithoutTheMiddleware_ExplainsWhatToCall()
    {
        var context = new DefaultHttpContext();

        var error = Assert.Throws<InvalidOperationException>(() => context.GetPersonalization());

        Assert.Contains("UseServerSidePersonalization", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseServerSidePersonalization_WithoutAddServerSidePersonalization_ExplainsWhatToCall()
    {
        var app = WebApplication.CreateBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.UseServerSidePersonalization());

        Assert.Contains("AddServerSidePersonalization", error.Message, StringComparison.Ordinal);
    }
}
