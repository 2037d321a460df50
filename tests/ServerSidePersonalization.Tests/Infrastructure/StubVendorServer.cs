using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// A vendor stand-in: real Kestrel on a free loopback port that records every request and answers as the test says,
/// so the library's real HTTP client and JSON run end to end.
/// </summary>
internal sealed class StubVendorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private StubVendorServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>How the stub answers; by default 200 with no experiences.</summary>
    public Func<RecordedRequest, StubResponse> Respond { get; set; } = _ => StubResponse.Json("""{"experiences":{}}""");

    public static async Task<StubVendorServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubVendorServer(app);
        app.Run(stub.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub.Url = new Uri(address);
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        // Answers still held back are dropped first, so stopping never waits for them.
        await _stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, headers, body.ToArray());
        Requests.Enqueue(recorded);
        Eventually.Notify();

        var response = Respond(recorded);
        if (response.AnswerWhen is { } answerWhen)
        {
            using var givenUp = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await answerWhen.WaitAsync(givenUp.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (response.Writer is not null)
        {
            await response.Writer(context.Response);
        }
        else if (response.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Body, context.RequestAborted);
        }
    }
}

/// <summary>One request the stub received.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) => Headers.GetValueOrDefault(name);
}

/// <summary>
/// What the stub answers. With <paramref name="AnswerWhen"/>, a vendor that is slow or never answers: the answer waits
/// for that task (one the test completes), and is dropped when the caller gives up first or the stub stops. The time a
/// caller gives up at is the caller's clock, which tests move; the stub never waits on real time.
/// </summary>
internal sealed record StubResponse(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, Func<HttpResponse, Task>? Writer = null, Task? AnswerWhen = null)
{
    /// <summary>A task that never completes: with <see cref="AnswerWhen"/>, a vendor that never answers.</summary>
    public static Task Never { get; } = new TaskCompletionSource().Task;

    public static StubResponse Json(string body, int status = 200) => new(status, body);
}
