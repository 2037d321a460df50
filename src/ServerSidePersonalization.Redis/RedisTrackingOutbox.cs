using System.Globalization;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Tracking;
using StackExchange.Redis;

namespace ServerSidePersonalization.Redis;

/// <summary>
/// The durable tracking outbox on Redis Streams: per destination, <c>ssp:outbox:{destination}:events</c> read by the
/// consumer group <see cref="Group"/> (one consumer per process), and <c>ssp:outbox:{destination}:dead</c> for dead
/// letters. Both keys carry the destination as their hash tag, so on a Redis Cluster they sit in one slot and the
/// dead-letter transaction (XADD to one, XACK and XDEL on the other) is not refused as cross-slot. Acknowledged entries
/// are deleted, so the live stream holds undelivered events only, and an append is refused (in the same script, so
/// instances cannot race past it) once it holds <see cref="TrackingOptions.QueueCapacity"/>: never a MAXLEN trim, which
/// would delete the oldest undelivered events unseen. The dead-letter stream keeps about as many of the latest.
/// </summary>
internal sealed class RedisTrackingOutbox(RedisConnection connection, IOptions<PersonalizationOptions> options) : ITrackingOutbox
{
    /// <summary>The consumer group every instance reads the streams in.</summary>
    public const string Group = "ssp-dispatchers";

    private const string PayloadField = "e";

    // One key: runs on the key's node of a cluster.
    private const string AppendScript = $"""
        if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
        redis.call('XADD', KEYS[1], '*', '{PayloadField}', ARGV[1])
        return 1
        """;

    private readonly TrackingOptions _options = options.Value.Tracking;

    /// <summary>This process's consumer name: unique, so a restarted instance never inherits a dead one's pending entries except by claiming them.</summary>
    public string Consumer { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    public static string EventsKey(string destination) => $"ssp:outbox:{{{destination}}}:events";

    public static string DeadLetterKey(string destination) => $"ssp:outbox:{{{destination}}}:dead";

    public async Task PrepareAsync(string destination, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // From the start of the stream: entries appended before any instance made the group are delivered too.
            await database.StreamCreateConsumerGroupAsync(EventsKey(destination), Group, StreamPosition.Beginning, createStream: true)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another instance (or an earlier run) made it.
        }
    }

    public async Task<bool> AppendAsync(string destination, byte[] payload, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var appended = await database.ScriptEvaluateAsync(AppendScript, [EventsKey(destination)], [payload, _options.QueueCapacity])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return (int)appended == 1;
    }

    public async Task<OutboxBatch> ReadAsync(string destination, int count, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var key = EventsKey(destination);
        var claimed = await database.StreamAutoClaimAsync(key, Group, Consumer, (long)_options.ClaimAfter.TotalMilliseconds, "0-0", count)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<OutboxEntry>(count);
        if (claimed.ClaimedEntries.Length > 0)
        {
            // XAUTOCLAIM does not say how often an entry was read; XPENDING does, for the range just claimed (which may
            // hold a few more of this consumer's entries, not yet idle long enough: they are ignored).
            var pending = await database.StreamPendingMessagesAsync(
                    key, Group, claimed.ClaimedEntries.Length + 100, Consumer, claimed.ClaimedEntries[0].Id, claimed.ClaimedEntries[^1].Id)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            var deliveries = pending.ToDictionary(p => (string)p.MessageId!, p => (long)p.DeliveryCount, StringComparer.Ordinal);
            foreach (var entry in claimed.ClaimedEntries)
            {
                var id = (string)entry.Id!;
                entries.Add(new OutboxEntry(id, Payload(entry), deliveries.GetValueOrDefault(id, 2)));
            }
        }

        if (entries.Count < count)
        {
            var fresh = await database.StreamReadGroupAsync(key, Group, Consumer, StreamPosition.NewMessages, count - entries.Count)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            entries.AddRange(fresh.Select(entry => new OutboxEntry((string)entry.Id!, Payload(entry), 1)));
        }

        return new OutboxBatch(entries, claimed.DeletedIds.Length);
    }

    public async Task AcknowledgeAsync(string destination, IReadOnlyList<string> entryIds, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var key = EventsKey(destination);
        var ids = entryIds.Select(id => (RedisValue)id).ToArray();
        var transaction = database.CreateTransaction();
        _ = transaction.StreamAcknowledgeAsync(key, Group, ids);
        _ = transaction.StreamDeleteAsync(key, ids);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> LengthAsync(string destination, CancellationToken cancellationToken)
    {
        // Acknowledged entries are deleted, so XLEN is the undelivered events: waiting, and read but not acknowledged.
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        return await database.StreamLengthAsync(EventsKey(destination)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeadLetterAsync(string destination, OutboxEntry entry, string reason, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var key = EventsKey(destination);
        var transaction = database.CreateTransaction();
        _ = transaction.StreamAddAsync(
            DeadLetterKey(destination),
            [
                new NameValueEntry(PayloadField, entry.Payload),
                new NameValueEntry("id", entry.Id),
                new NameValueEntry("deliveries", entry.Deliveries.ToString(CultureInfo.InvariantCulture)),
                new NameValueEntry("reason", reason),
            ],
            maxLength: _options.QueueCapacity,
            useApproximateMaxLength: true);
        _ = transaction.StreamAcknowledgeAsync(key, Group, entry.Id);
        _ = transaction.StreamDeleteAsync(key, [entry.Id]);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static byte[] Payload(StreamEntry entry) => (byte[]?)entry[PayloadField] ?? [];

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken) =>
        (await connection.GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
}
