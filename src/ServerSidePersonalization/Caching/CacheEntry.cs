using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.Caching;

/// <summary>
/// What the cache knows about one experience of one user: the experience, or null when the provider said the user
/// has none (that answer is cached too), and when it was fetched, stops being fresh and must be dropped.
/// </summary>
internal sealed record CacheEntry(
    Experience? Experience,
    DateTimeOffset FetchedAt,
    DateTimeOffset FreshUntil,
    DateTimeOffset ExpiresAt,
    DateTimeOffset RetryAfter = default)
{
    public bool IsFresh(DateTimeOffset now) => now < FreshUntil;

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;
}
