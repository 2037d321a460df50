using ServerSidePersonalization.Caching;
using StackExchange.Redis;

namespace ServerSidePersonalization.Redis;

/// <summary>
/// L2 on Redis: one MGET per read and one pipelined batch of SETs with expiry per write, on the package's one
/// multiplexer (<see cref="RedisConnection"/>). While Redis is down, commands fail at once and the cache's guard stops
/// calling for a while. On a Redis Cluster both go to one node: the keys of one call share a hash tag
/// (<see cref="CacheContext.EntryKey"/>), so they sit in one slot and MGET is not refused as cross-slot.
/// </summary>
internal sealed class RedisL2Store(RedisConnection connection) : IL2Store
{
    public async Task<IReadOnlyList<byte[]?>> GetAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var database = (await connection.GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
        var redisKeys = new RedisKey[keys.Count];
        for (var i = 0; i < redisKeys.Length; i++)
        {
            redisKeys[i] = keys[i];
        }

        var values = await database.StringGetAsync(redisKeys).WaitAsync(cancellationToken).ConfigureAwait(false);
        var result = new byte[]?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i].IsNull ? null : (byte[]?)values[i];
        }

        return result;
    }

    public async Task SetAsync(IReadOnlyList<L2Entry> entries, CancellationToken cancellationToken)
    {
        var database = (await connection.GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
        var batch = database.CreateBatch();
        var writes = new Task[entries.Count];
        for (var i = 0; i < writes.Length; i++)
        {
            writes[i] = batch.StringSetAsync(entries[i].Key, entries[i].Value, entries[i].TimeToLive);
        }

        batch.Execute();
        await Task.WhenAll(writes).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
