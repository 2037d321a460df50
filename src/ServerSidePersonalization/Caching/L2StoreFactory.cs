namespace ServerSidePersonalization.Caching;

/// <summary>
/// How an L2 package (ServerSidePersonalization.Redis) offers its store: the settings it needs are only known once the
/// options are bound, so it registers this and answers null when it is not configured, and the cache stays in memory.
/// An <see cref="IL2Store"/> registered directly is used as it is and wins over this.
/// </summary>
internal sealed class L2StoreFactory(Func<IServiceProvider, IL2Store?> create)
{
    public IL2Store? Create(IServiceProvider services) => create(services);
}
