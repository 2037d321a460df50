using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.Tracking;

/// <summary>The dispatcher's life cycle as hosts really drive it.</summary>
public sealed class TrackingDispatcherTests : IDisposable
{
    private readonly ExperienceFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task StopAsync_CalledTwiceAtOnceThenDisposed_EveryCallWaitsForTheOneDrain()
    {
        // What WebApplicationFactory does: it stops the host while the app's own Run() stops it too, and Run() disposes
        // the host as soon as its own stop returns.
        var held = new HeldDestination();
        await using var app = await StartAsync(held);
        for (var i = 0; i < 3; i++)
        {
            await app.GetAsync("/track", ("ssp_vid", $"visitor-{i}"));
        }

        var dispatcher = Dispatcher(app);
        var first = dispatcher.StopAsync(CancellationToken.None);
        var second = dispatcher.StopAsync(CancellationToken.None);
        Assert.False(second.IsCompleted, "The second stop did not wait for the drain.");
        held.Answer();
        await second;
        ((IDisposable)dispatcher).Dispose();

        Assert.Null(await Record.ExceptionAsync(() => first));
        Assert.Equal(3, held.Delivered.Count);
    }

    [Fact]
    public async Task StopAsync_AfterDispose_DoesNotThrow()
    {
        var destination = new HeldDestination();
        destination.Answer();
        await using var app = await StartAsync(destination);
        var dispatcher = Dispatcher(app);

        await app.App.StopAsync();
        ((IDisposable)dispatcher).Dispose();

        Assert.Null(await Record.ExceptionAsync(() => dispatcher.StopAsync(CancellationToken.None)));
    }

    private static IHostedService Dispatcher(TestApp app) =>
        app.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "TrackingDispatcher");

    private Task<TestApp> StartAsync(HeldDestination destination) => TestApp.StartAsync(
        new Dictionary<string, string?>
        {
            ["Personalization:Local:File"] = _files.WriteSingle(("hero", new { Title = "Hi" })),
            ["Personalization:Tracking:Local:Enabled"] = "false",
            ["Personalization:Tracking:FlushInterval"] = "00:05:00",
        },
        services => services.AddSingleton<ITrackingDestination>(destination),
        endpoints: app => app.MapGet("/track", async (HttpContext c) =>
        {
            var personalization = c.GetPersonalization();
            personalization.TrackClick((await personalization.GetExperienceAsync("hero"))!);
            return "ok";
        }));

    /// <summary>A destination that holds every delivery until the test lets it answer.</summary>
    private sealed class HeldDestination : ITrackingDestination
    {
        private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<TrackingEvent> Delivered { get; } = new();

        public string Name => "Held";

        public int MaxBatchSize => 1;

        public void Answer() => _answer.TrySetResult();

        public bool Accepts(TrackingEvent trackingEvent) => true;

        public async Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken)
        {
            await _answer.Task.WaitAsync(cancellationToken);
            foreach (var trackingEvent in batch)
            {
                Delivered.Enqueue(trackingEvent);
            }

            return DeliveryResult.Delivered;
        }
    }
}
