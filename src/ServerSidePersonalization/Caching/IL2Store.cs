namespace ServerSidePersonalization.Caching;

/// <summary>
/// A distributed store for the L2 level (Redis in ServerSidePersonalization.Redis). Each method is one round trip;
/// the cache bounds their time, counts failures and stops calling for a while after one, so an implementation may
/// simply throw.
/// </summary>
public interface IL2Store
{
    /// <summary>Reads several entries at once; the result has one item per key, null where there is none.</summary>
    Task<IReadOnlyList<byte[]?>> GetAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>Writes several entries at once, each with its own time to live.</summary>
    Task SetAsync(IReadOnlyList<L2Entry> entries, CancellationToken cancellationToken);
}
