namespace ServerSidePersonalization.Experiences;

/// <summary>
/// A provider's answer. A key can be found, failed (the provider could not answer for it: an error, a timeout), or
/// neither: the provider answered that the visitor has no such experience.
/// </summary>
public sealed class ExperienceFetchResult
{
    private static readonly IReadOnlyDictionary<string, Experience> NoExperiences = new Dictionary<string, Experience>(0);

    /// <summary>Creates a result.</summary>
    public ExperienceFetchResult(
        IReadOnlyDictionary<string, Experience>? experiences,
        IReadOnlyCollection<string>? failedKeys = null,
        IReadOnlyList<ResponseCookie>? cookies = null)
    {
        Experiences = experiences ?? NoExperiences;
        FailedKeys = failedKeys ?? [];
        Cookies = cookies ?? [];
    }

    /// <summary>An answer with no experiences and no failures.</summary>
    public static ExperienceFetchResult Empty { get; } = new(null);

    /// <summary>The experiences found, by key.</summary>
    public IReadOnlyDictionary<string, Experience> Experiences { get; }

    /// <summary>The keys the provider could not answer for.</summary>
    public IReadOnlyCollection<string> FailedKeys { get; }

    /// <summary>Cookies the provider asks to set on the visitor's browser with this page (a vendor's new user id).</summary>
    public IReadOnlyList<ResponseCookie> Cookies { get; }

    /// <summary>Whether the provider failed and answered nothing: what its circuit breaker counts as a failure.</summary>
    internal bool FailedAll => FailedKeys.Count > 0 && Experiences.Count == 0;

    /// <summary>A result in which every key failed.</summary>
    public static ExperienceFetchResult Failed(IReadOnlyCollection<string> keys) => new(null, keys);

    /// <summary>One result holding the experiences and failed keys of several (for keys split over calls or providers).</summary>
    internal static ExperienceFetchResult Merge(IReadOnlyList<ExperienceFetchResult> results)
    {
        var experiences = new Dictionary<string, Experience>(StringComparer.Ordinal);
        var failed = new List<string>();
        var cookies = new List<ResponseCookie>();
        foreach (var result in results)
        {
            cookies.AddRange(result.Cookies);
            foreach (var (key, experience) in result.Experiences)
            {
                experiences[key] = experience;
            }

            failed.AddRange(result.FailedKeys);
        }

        return new ExperienceFetchResult(experiences, failed, cookies);
    }
}
