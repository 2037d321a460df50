using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.Tracking;

/// <summary>
/// Durable tracking at shutdown when the outbox fails under a batch in hand: the app stops cleanly, the failure is
/// logged, and the entry stays unacknowledged for another instance to claim. The outbox is an in-memory double of our
/// own interface, so the failure lands exactly while the dispatcher drains.
/// </summary>
public sealed class TrackingDispatcherDurableShutdownTests : IDisposable
{
    private readonly ExperienceFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Stop_AcknowledgeFailsWhileDraining_StopsWithoutThrowingAndLogsTheOutboxFailure()
    {
        var outbox = new FailingAcknowledgeOutbox();
        var destination = new RecordingDestination { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var app = await TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["Personalization:Local:File"] = _files.WriteSingle(("hero", new { Title = "Hi", CtaUrl = "/landing" })),
                ["Personalization:Tracking:Local:Enabled"] = "false",
                ["Personalization:Tracking:Durable"] = "true",
                ["Personalization:Tracking:FlushInterval"] = "00:00:00.050",
            },
            services => services
                .AddSingleton(new TrackingOutboxFactory((_, _) => true, _ => outbox))
                .AddSingleton<ITrackingDestination>(destination));

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
        await outbox.Handed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Shutdown begins (the dispatcher stops reading), then the vendor answers and the acknowledgement fails.
        var stopping = app.App.StopAsync();
        await outbox.ReadingStopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
        destination.Gate.SetResult();
        await stopping;
        await app.App.DisposeAsync();

        Assert.Single(destination.Delivered);
        Assert.Equal(1, outbox.AcknowledgeCalls);
        Assert.Single(app.Logs.Named("TrackingOutboxUnavailable"));
    }

    /// <summary>Hands out what was appended, once; every acknowledgement throws as a Redis that went away would.</summary>
    private sealed class FailingAcknowledgeOutbox : ITrackingOutbox
    {
        private readonly ConcurrentQueue<byte[]> _appended = new();
        private int _acknowledgeCalls;

        public TaskCompletionSource Handed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReadingStopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int AcknowledgeCalls => _acknowledgeCalls;

        public Task PrepareAsync(string destination, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> AppendAsync(string destination, byte[] payload, CancellationToken cancellationToken)
        {
            _appended.Enqueue(payload);
            return Task.FromResult(true);
        }

        public Task<OutboxBatch> ReadAsync(string destination, int count, CancellationToken cancellationToken)
        {
            cancellationToken.Register(() => ReadingStopped.TrySetResult());
            if (!_appended.TryDequeue(out var payload))
            {
                return Task.FromResult(OutboxBatch.Empty);
            }

            Handed.TrySetResult();
            return Task.FromResult(new OutboxBatch([new OutboxEntry("1-0", payload, 1)], 0));
        }

        public Task AcknowledgeAsync(string destination, IReadOnlyList<string> entryIds, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _acknowledgeCalls);
            throw new InvalidOperationException("The outbox went away.");
        }

        public Task<long> LengthAsync(string destination, CancellationToken cancellationToken) => Task.FromResult((long)_appended.Count);

        public Task DeadLetterAsync(string destination, OutboxEntry entry, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
