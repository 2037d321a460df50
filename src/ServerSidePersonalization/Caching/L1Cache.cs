using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.Caching;

/// <summary>
/// The L1 level on <see cref="IMemoryCache"/>: a private, size-bounded instance by default, or the application's own.
/// Every entry has a size of 1; lifetimes are checked against the library's <see cref="TimeProvider"/>, and the
/// memory cache drops entries once they could no longer be served.
/// </summary>
internal sealed class L1Cache : IDisposable
{
    private readonly IMemoryCache _memory;
    private readonly MemoryCache? _owned;

    public L1Cache(IOptions<PersonalizationOptions> options, IServiceProvider services)
    {
        var cache = options.Value.Cache;
        if (cache.UseSharedMemoryCache)
        {
            _memory = services.GetRequiredService<IMemoryCache>();
        }
        else
        {
            _owned = new MemoryCache(new MemoryCacheOptions { SizeLimit = cache.MemorySizeLimit, CompactionPercentage = 0.1 });
            _memory = _owned;
        }
    }

    public CacheEntry? Get(string key) => _memory.TryGetValue(key, out var value) ? value as CacheEntry : null;

    public void Set(string key, CacheEntry entry, DateTimeOffset now)
    {
        var lifetime = entry.ExpiresAt - now;
        if (lifetime <= TimeSpan.Zero)
        {
            _memory.Remove(key);
            return;
        }

        using var memoryEntry = _memory.CreateEntry(key);
        memoryEntry.Value = entry;
        memoryEntry.Size = 1;
        memoryEntry.AbsoluteExpirationRelativeToNow = lifetime;
    }

    /// <summary>The number of entries in a private L1 (for tests and diagnostics); -1 for a shared cache.</summary>
    internal int Count => _owned?.Count ?? -1;

    public void Dispose() => _owned?.Dispose();
}
