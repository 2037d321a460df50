using System.Collections.Concurrent;

namespace ServerSidePersonalization.Caching;

/// <summary>
/// Where each experience of one request came from (L1, L2, provider, stale, preview, none), recorded only while the
/// debug page is on; the keys of one request can be answered by several loads at once, hence the concurrent map.
/// </summary>
internal sealed class ExperienceOrigins
{
    private readonly ConcurrentDictionary<string, ExperienceOrigin> _origins = new(StringComparer.Ordinal);

    public void Record(string key, ExperienceOrigin origin) => _origins[key] = origin;

    public ExperienceOrigin? Find(string key) => _origins.TryGetValue(key, out var origin) ? origin : null;
}
