using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.AspNetCore;

/// <summary>
/// Which responses report impressions: only those a person saw. Each zero is paired with the same page fetched the
/// ordinary way, which reports one, so a zero means "not counted" rather than "not rendered".
/// </summary>
public sealed class PersonalizationMiddlewareTests(PersonalizationMiddlewareTests.SharedApp shared) : IClassFixture<PersonalizationMiddlewareTests.SharedApp>
{
    public static TheoryData<string, string, string> Speculative => new()
    {
        { "HEAD", "", "" },
        { "GET", "Sec-Purpose", "prefetch" },
        { "GET", "Sec-PURPOSE", "prefetch" },
        { "GET", "Sec-Purpose", "prefetch;prerender" },
        { "GET", "Sec-Purpose", "Prerender" },
        { "GET", "Purpose", "prefetch" },
        { "GET", "X-Purpose", "preview" },
        { "GET", "X-Moz", "prefetch" },
    };

    [Theory]
    [MemberData(nameof(Speculative))]
    public async Task Page_NotShownToAPerson_ReportsNoImpression_ShownOrdinarily_ReportsOne(string method, string header, string value)
    {
        var visitor = NewVisitor();

        await Fetch(new HttpMethod(method), "/Tags/Hero", visitor, header, value);
        var speculative = shared.Recorder.AcceptedImpressions(visitor).Count;
        await Fetch(HttpMethod.Get, "/Tags/Hero", visitor);

        Assert.Equal(0, speculative);
        Assert.Equal("hero", Assert.Single(shared.Recorder.AcceptedImpressions(visitor)).ExperienceKey);
    }

    [Theory]
    [InlineData("Sec-Purpose", "")]
    [InlineData("Purpose", "navigate")]
    [InlineData("X-Moz", "other")]
    public async Task Page_PurposeHeaderNamingNoSpeculation_ReportsOneImpression(string header, string value)
    {
        var visitor = NewVisitor();

        await Fetch(HttpMethod.Get, "/Tags/Hero", visitor, header, value);

        Assert.Single(shared.Recorder.AcceptedImpressions(visitor));
    }

    [Theory]
    [InlineData(204)]
    [InlineData(205)]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    [InlineData(500)]
    public async Task Response_NotAPage_ReportsNoImpression_SameEndpointAnswering200_ReportsOne(int status)
    {
        var visitor = NewVisitor();

        var answered = await Fetch(HttpMethod.Get, $"/render?status={status}", visitor);
        var notAPage = shared.Recorder.AcceptedImpressions(visitor).Count;
        var control = await Fetch(HttpMethod.Get, "/render?status=200", visitor);

        Assert.Equal((HttpStatusCode)status, answered);
        Assert.Equal(0, notAPage);
        Assert.Equal(HttpStatusCode.OK, control);
        Assert.Single(shared.Recorder.AcceptedImpressions(visitor));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(304)]
    [InlineData(404)]
    public async Task Response_PageShown_ReportsOneImpression(int status)
    {
        var visitor = NewVisitor();

        var answered = await Fetch(HttpMethod.Get, $"/render?status={status}", visitor);

        Assert.Equal((HttpStatusCode)status, answered);
        Assert.Equal("hero", Assert.Single(shared.Recorder.AcceptedImpressions(visitor)).ExperienceKey);
    }

    private static string NewVisitor() => $"v-{Guid.NewGuid():N}";

    /// <summary>Sends the request and reads the response to its end, which the test server gives only once the whole pipeline has run.</summary>
    private async Task<HttpStatusCode> Fetch(HttpMethod method, string path, string visitor, string header = "", string value = "")
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", $"ssp_vid={visitor}");
        if (header.Length > 0)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(header, value));
        }

        using var response = await shared.App.Client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode;
    }

    /// <summary>One Local-provider app with a page that renders "hero" and an endpoint that renders it, then answers any status.</summary>
    public sealed class SharedApp : IAsyncLifetime, IDisposable
    {
        private readonly ExperienceFiles _files = new();
        private TestApp? _app;

        internal TestApp App => _app ?? throw new InvalidOperationException("Not started.");

        internal RecordingDestination Recorder { get; } = new();

        public async Task InitializeAsync() =>
            _app = await TestApp.StartAsync(
                new Dictionary<string, string?>
                {
                    ["Personalization:Local:File"] = _files.WriteSingle(("hero", new { Title = "Hello", CtaUrl = "/landing/hero" })),
                },
                services => services.AddSingleton<ITrackingDestination>(Recorder),
                endpoints: app => app.MapGet("/render", async (HttpContext context, int status) =>
                {
                    var personalization = context.GetPersonalization();
                    personalization.TrackImpression((await personalization.GetExperienceAsync("hero"))!);
                    context.Response.StatusCode = status;
                    if (status is >= 300 and < 400 and not 304)
                    {
                        context.Response.Headers.Location = "/elsewhere";
                    }
                }));

        public async Task DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }

        public void Dispose() => _files.Dispose();
    }
}
