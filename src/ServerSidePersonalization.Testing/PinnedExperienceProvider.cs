using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Testing;

/// <summary>Answers every visitor with the pinned experiences, from memory.</summary>
internal sealed class PinnedExperienceProvider(PinnedExperiences pins) : IExperienceProvider
{
    /// <summary>Generous: the answer is synchronous, the budget only has to be positive.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    public string Name => PinnedExperiences.Vendor;

    public ValueTask<ExperienceFetchResult> FetchAsync(ExperienceRequest request, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, Experience>(StringComparer.Ordinal);
        foreach (var key in request.Keys)
        {
            if (pins.Find(key) is { } experience)
            {
                found[key] = experience;
            }
        }

        return ValueTask.FromResult(new ExperienceFetchResult(found));
    }

    /// <summary>
    /// No cache entry: every page view asks the pins, so answers never outlive this test host, not even in an L2 store
    /// the site shares between test runs.
    /// </summary>
    public string? CacheUserId(VisitorIdentity identity) => null;
}
