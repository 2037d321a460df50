using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerSidePersonalization.AspNetCore;

namespace ServerSidePersonalization.Benchmarks.Micro;

/// <summary>
/// The library's real services on the Local provider (one experience, <c>hero</c>, with a Title and a CtaUrl), built
/// but never started: the micro-benchmarks drive its types in process, without a server.
/// </summary>
internal sealed class MicroApp : IAsyncDisposable
{
    public const string VisitorId = "0123456789abcdef0123456789abcdef";

    private const string BrowserUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private readonly WebApplication _app;
    private readonly string _folder;

    private MicroApp(WebApplication app, string folder)
    {
        _app = app;
        _folder = folder;
    }

    public IServiceProvider Services => _app.Services;

    public static MicroApp Create()
    {
        var folder = Directory.CreateTempSubdirectory("ssp-micro-").FullName;
        var file = Path.Combine(folder, "experiences.json");
        File.WriteAllText(file, """
            {"experiences":[{"key":"hero","variations":[{"id":"only","weight":1,"payload":{"Title":"Winter sale","CtaUrl":"/sale"}}]}]}
            """);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration["Personalization:Local:File"] = file;
        builder.Services.AddServerSidePersonalization();
        builder.Services.AddRazorPages();
        return new MicroApp(builder.Build(), folder);
    }

    /// <summary>A request of a returning visitor (a valid visitor cookie, a browser) to an endpoint that declares <c>hero</c>.</summary>
    public DefaultHttpContext Request()
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/";
        context.Request.Headers.Cookie = $"ssp_vid={VisitorId}";
        context.Request.Headers.UserAgent = BrowserUserAgent;
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new ExperiencesAttribute("hero")), "hero page"));
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
