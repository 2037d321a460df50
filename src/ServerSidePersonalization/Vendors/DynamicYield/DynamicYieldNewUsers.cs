using System.Collections.Concurrent;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>
/// Web mode's brand-new visitors, by the site's own id: the first choose call's answer creates their Dynamic Yield ids,
/// which every concurrent or following call, and the engagements of that first page view (whose request carried no
/// Dynamic Yield cookie yet), use until the browser sends the cookies back. Entries are dropped after a while.
/// </summary>
internal sealed class DynamicYieldNewUsers(TimeProvider time)
{
    /// <summary>Long enough for the browser's next request and for a first page's engagements to be delivered and retried.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Task<DynamicYieldNewUser?>> _users = new(StringComparer.Ordinal);

    /// <summary>Claims the first call for <paramref name="siteUser"/>, or answers the pending one's task.</summary>
    public Task<DynamicYieldNewUser?> GetOrAdd(string siteUser, Task<DynamicYieldNewUser?> first) => _users.GetOrAdd(siteUser, first);

    /// <summary>The ids a finished first call created, while they are still kept.</summary>
    public DynamicYieldIds? Known(string? siteUser) =>
        siteUser is not null
        && _users.TryGetValue(siteUser, out var task)
        && task.IsCompletedSuccessfully
        && task.Result is { } user
        && user.ExpiresAt > time.GetUtcNow()
            ? user.Ids
            : null;

    public void Remove(string siteUser, Task<DynamicYieldNewUser?> entry) =>
        _users.TryRemove(new KeyValuePair<string, Task<DynamicYieldNewUser?>>(siteUser, entry));

    /// <summary>Drops an entry once its lifetime is over.</summary>
    public void ForgetLater(string siteUser, Task<DynamicYieldNewUser?> entry)
    {
        ITimer? timer = null;
        timer = time.CreateTimer(
            _ =>
            {
                Remove(siteUser, entry);
                timer?.Dispose();
            },
            null,
            Lifetime,
            Timeout.InfiniteTimeSpan);
    }
}

/// <summary>The ids a new visitor's first answer created, the cookies that carry them, and until when they are kept.</summary>
internal sealed record DynamicYieldNewUser(DynamicYieldIds Ids, IReadOnlyList<Experiences.ResponseCookie> Cookies, DateTimeOffset ExpiresAt);
