using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.Vendors.Local;

/// <summary>
/// The embedded default provider: answers from <see cref="LocalExperienceStore"/> without I/O, bucketing each user by
/// a stable hash. A visitor with no id at all (no cookie allowed) gets a random variation for that page view.
/// </summary>
internal sealed class LocalExperienceProvider(LocalExperienceStore store) : IExperienceProvider, IExperiencePreviewProvider
{
    public string Name => LocalExperienceSet.Vendor;

    public ValueTask<ExperienceFetchResult> FetchAsync(ExperienceRequest request, CancellationToken cancellationToken)
    {
        var set = store.Current;
        var userId = request.Identity.UserId;
        Dictionary<string, Experience>? found = null;
        foreach (var key in request.Keys)
        {
            if (set.Find(key) is not { Enabled: true } experience)
            {
                continue;
            }

            var point = userId is null ? Random.Shared.NextDouble() : LocalBucketing.Point(key, userId);
            (found ??= new Dictionary<string, Experience>(StringComparer.Ordinal))[key] = LocalBucketing.Choose(experience, point).Experience;
        }

        return ValueTask.FromResult(found is null ? ExperienceFetchResult.Empty : new ExperienceFetchResult(found));
    }

    /// <summary>The variation of the file with that id, enabled or not (QA may look at an experience before it goes live).</summary>
    public Experience? Preview(string key, string variation)
    {
        foreach (var candidate in store.Current.Find(key)?.Variations ?? [])
        {
            if (candidate.Id == variation)
            {
                return candidate.Experience;
            }
        }

        return null;
    }
}
