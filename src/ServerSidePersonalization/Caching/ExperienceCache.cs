using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.Caching;

/// <summary>
/// The per-user experience cache in front of the provider. A request's keys are answered from fresh L1 entries;
/// the rest go to one shared load per user and key set (single-flight) that reads L2 in one round trip and calls the
/// provider for what is still missing. The request waits for that load at most the provider's budget; when the load
/// fails or is late, stale entries are served (fail-safe) and the provider is retried for them only every
/// <see cref="CacheOptions.FailSafeRetryInterval"/>.
/// </summary>
internal sealed class ExperienceCache : IExperienceSource
{
    private readonly ProviderExperienceSource _provider;
    private readonly SelectedProvider _selected;
    private readonly L1Cache _l1;
    private readonly L2Guard? _l2;
    private readonly CacheOptions _options;
    private readonly TimeProvider _time;
    private readonly PersonalizationMetrics _metrics;
    private readonly ILogger<ExperienceCache> _logger;
    private readonly LogThrottle _budgetLog;
    private readonly SingleFlight<Loaded> _flights = new();

    public ExperienceCache(
        ProviderExperienceSource provider,
        SelectedProvider selected,
        L1Cache l1,
        IOptions<PersonalizationOptions> options,
        TimeProvider time,
        PersonalizationMetrics metrics,
        ILogger<ExperienceCache> logger,
        L2Guard? l2 = null)
    {
        _provider = provider;
        _selected = selected;
        _l1 = l1;
        _l2 = l2;
        _options = options.Value.Cache;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _budgetLog = new LogThrottle(time, TimeSpan.FromSeconds(10));
    }

    private string ProviderName => _selected.Provider.Name;

    public async Task<ExperienceFetchResult> GetAsync(ExperienceRequest request, CancellationToken cancellationToken)
    {
        if (request.BypassCache || _selected.Provider.CacheUserId(request.Identity) is not { } userId)
        {
            // No id, nothing to key an entry on: every such page view asks the provider. A QA preview neither reads nor
            // writes the visitor's entries.
            return await UncachedAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        var context = CacheContext.Hash(userId, ProviderName, request);
        var found = new Dictionary<string, Experience>(request.Keys.Count, StringComparer.Ordinal);
        List<string>? needed = null;
        Dictionary<string, CacheEntry>? stale = null;
        var keys = request.Keys;
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (_l1.Get(CacheContext.EntryKey(ProviderName, context, key)) is { } entry && !entry.IsExpired(now))
            {
                if (entry.IsFresh(now))
                {
                    Serve(request, found, key, entry, ExperienceOrigin.L1);
                    continue;
                }

                if (now < entry.RetryAfter)
                {
                    Serve(request, found, key, entry, ExperienceOrigin.Stale);
                    continue;
                }

                (stale ??= new(StringComparer.Ordinal))[key] = entry;
            }

            (needed ??= []).Add(key);
        }

        if (needed is null)
        {
            return new ExperienceFetchResult(found);
        }

        needed.Sort(StringComparer.Ordinal);
        var load = new Load(this, request, needed, context, stale);
        var loaded = await WithinBudgetAsync(
            _flights.RunAsync(context + "|" + string.Join('\u001f', needed), load, static l => l.Cache.LoadAsync(l)),
            needed.Count,
            cancellationToken).ConfigureAwait(false);

        List<string>? failed = null;
        var servedStale = 0;
        foreach (var key in needed)
        {
            if (loaded?.Lookups.GetValueOrDefault(key) is { Entry: { } entry } lookup)
            {
                Serve(request, found, key, entry, lookup.Origin);
                servedStale += lookup.Origin == ExperienceOrigin.Stale ? 1 : 0;
            }
            else if (stale?.GetValueOrDefault(key) is { } old)
            {
                Serve(request, found, key, old, ExperienceOrigin.Stale);
                servedStale++;
            }
            else
            {
                _metrics.Lookup(ExperienceOrigin.None, ProviderName);
                request.Origins?.Record(key, ExperienceOrigin.None);
                (failed ??= []).Add(key);
            }
        }

        if (servedStale > 0)
        {
            Log.ServedStale(_logger, servedStale, ProviderName);
        }

        return new ExperienceFetchResult(found, failed, loaded?.Cookies);
    }

    /// <summary>One shared load, as one span tagged with where its answers came from.</summary>
    private async Task<Loaded> LoadAsync(Load load)
    {
        using var activity = PersonalizationActivities.StartCacheLoad(ProviderName, load.Keys);
        var loaded = await LoadFromL2ThenProviderAsync(load).ConfigureAwait(false);
        if (activity is not null)
        {
            var origins = load.Keys.Select(k => loaded.Lookups.TryGetValue(k, out var lookup) ? lookup.Origin : ExperienceOrigin.None)
                .Select(PersonalizationMetrics.OriginTag).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            PersonalizationActivities.Origin(activity, string.Join(',', origins));
        }

        return loaded;
    }

    /// <summary>L2 in one round trip, then the provider for what L2 did not have fresh.</summary>
    private async Task<Loaded> LoadFromL2ThenProviderAsync(Load load)
    {
        var now = _time.GetUtcNow();
        var lookups = new Dictionary<string, Lookup>(load.Keys.Count, StringComparer.Ordinal);
        var stale = load.Stale is null ? new Dictionary<string, CacheEntry>(StringComparer.Ordinal) : new(load.Stale, StringComparer.Ordinal);
        var missing = load.Keys;

        // Ended below, before the provider call: the L2 span covers the read only.
        var l2Activity = _l2 is null ? null : PersonalizationActivities.StartL2Get(ProviderName, load.Keys);
        if (_l2 is not null && await _l2.TryGetAsync([.. load.Keys.Select(load.EntryKey)]).ConfigureAwait(false) is { } values)
        {
            missing = [];
            for (var i = 0; i < load.Keys.Count; i++)
            {
                var key = load.Keys[i];
                if (values[i] is { } bytes && CacheEntrySerializer.Deserialize(bytes) is { } entry && !entry.IsExpired(now))
                {
                    if (entry.IsFresh(now))
                    {
                        var inMemory = entry with { FreshUntil = Min(now + _options.MemoryTtl, entry.FreshUntil) };
                        _l1.Set(load.EntryKey(key), inMemory, now);
                        lookups[key] = new Lookup(inMemory, ExperienceOrigin.L2);
                        continue;
                    }

                    if (!stale.TryGetValue(key, out var known) || known.FetchedAt < entry.FetchedAt)
                    {
                        stale[key] = entry;
                    }
                }

                missing.Add(key);
            }

            PersonalizationActivities.Outcome(l2Activity, missing.Count == 0 ? "hit" : missing.Count == load.Keys.Count ? "miss" : "partial");
        }
        else
        {
            PersonalizationActivities.Outcome(l2Activity, "unavailable", failed: true);
        }

        l2Activity?.Dispose();
        if (missing.Count == 0)
        {
            return new Loaded(lookups, []);
        }

        _metrics.ProviderCall(ProviderName);
        var result = await _provider.GetAsync(load.Request.WithKeys(missing), CancellationToken.None)
            .ConfigureAwait(false);
        var fetchedAt = _time.GetUtcNow();
        var failed = result.FailedKeys.Count == 0 ? null : new HashSet<string>(result.FailedKeys, StringComparer.Ordinal);
        var sendsHour = load.Request.Attributes.HourOfDay is not null;
        List<L2Entry>? writes = null;
        foreach (var key in missing)
        {
            if (failed?.Contains(key) == true)
            {
                if (stale.TryGetValue(key, out var old))
                {
                    var waiting = old with { RetryAfter = fetchedAt + _options.FailSafeRetryInterval };
                    _l1.Set(load.EntryKey(key), waiting, fetchedAt);
                    lookups[key] = new Lookup(waiting, ExperienceOrigin.Stale);
                }

                continue;
            }

            var (memory, distributed) = NewEntries(result.Experiences.GetValueOrDefault(key), fetchedAt, sendsHour);
            _l1.Set(load.EntryKey(key), memory, fetchedAt);
            lookups[key] = new Lookup(memory, ExperienceOrigin.Provider);
            if (_l2 is not null)
            {
                (writes ??= []).Add(new L2Entry(load.EntryKey(key), CacheEntrySerializer.Serialize(distributed), distributed.ExpiresAt - fetchedAt));
            }
        }

        if (writes is not null)
        {
            // The pages waiting for this load need not wait for the write as well.
            _ = _l2!.TrySetAsync(writes);
        }

        return new Loaded(lookups, result.Cookies);
    }

    /// <summary>
    /// The lifetimes of a new entry: fresh for the L1 and L2 TTLs (L2 with jitter), kept for fail-safe up to
    /// <see cref="CacheOptions.FailSafeMaxAge"/>, and never past the end of the UTC hour when the hour was sent.
    /// </summary>
    private (CacheEntry Memory, CacheEntry Distributed) NewEntries(Experience? experience, DateTimeOffset fetchedAt, bool sendsHour)
    {
        var hourEnd = sendsHour
            ? new DateTimeOffset(fetchedAt.UtcDateTime.Year, fetchedAt.UtcDateTime.Month, fetchedAt.UtcDateTime.Day, fetchedAt.UtcDateTime.Hour, 0, 0, TimeSpan.Zero).AddHours(1)
            : DateTimeOffset.MaxValue;
        var jitter = 1 + (_options.DistributedTtlJitter * ((2 * Random.Shared.NextDouble()) - 1));
        var distributedTtl = _l2 is null ? _options.MemoryTtl : _options.DistributedTtl * jitter;
        var expiresAt = Min(fetchedAt + Max(_options.FailSafeMaxAge, distributedTtl), hourEnd);
        var memory = new CacheEntry(experience, fetchedAt, Min(fetchedAt + _options.MemoryTtl, hourEnd), expiresAt);
        return (memory, memory with { FreshUntil = Min(fetchedAt + distributedTtl, hourEnd) });
    }

    private async Task<ExperienceFetchResult> UncachedAsync(ExperienceRequest request, CancellationToken cancellationToken)
    {
        _metrics.ProviderCall(ProviderName);
        var result = await WithinBudgetAsync(_provider.GetAsync(request, CancellationToken.None), request.Keys.Count, cancellationToken)
            .ConfigureAwait(false) ?? ExperienceFetchResult.Failed(request.Keys);
        foreach (var key in request.Keys)
        {
            var origin = result.FailedKeys.Contains(key) ? ExperienceOrigin.None : ExperienceOrigin.Provider;
            _metrics.Lookup(origin, ProviderName);
            request.Origins?.Record(key, origin);
        }

        return result;
    }

    /// <summary>The task's result, or null when it did not finish within the provider's request-path budget.</summary>
    private async Task<T?> WithinBudgetAsync<T>(Task<T> task, int keyCount, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await task.WaitAsync(_selected.Budget, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            if (_budgetLog.ShouldLog(out var suppressed))
            {
                Log.BudgetExceeded(_logger, ProviderName, _selected.Budget.TotalMilliseconds, keyCount, suppressed);
            }

            return null;
        }
    }

    private void Serve(ExperienceRequest request, Dictionary<string, Experience> found, string key, CacheEntry entry, ExperienceOrigin origin)
    {
        _metrics.Lookup(origin, ProviderName);
        request.Origins?.Record(key, origin);
        if (entry.Experience is { } experience)
        {
            found[key] = experience;
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed record Load(ExperienceCache Cache, ExperienceRequest Request, List<string> Keys, string Context, Dictionary<string, CacheEntry>? Stale)
    {
        public string EntryKey(string key) => CacheContext.EntryKey(Cache.ProviderName, Context, key);
    }

    private readonly record struct Lookup(CacheEntry? Entry, ExperienceOrigin Origin);

    /// <summary>What a shared load found, and the cookies the provider asked every page waiting for it to set.</summary>
    private sealed record Loaded(Dictionary<string, Lookup> Lookups, IReadOnlyList<ResponseCookie> Cookies);
}
