using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Experiences;

/// <summary>Decides a visitor's experiences: a vendor's API, or the embedded Local provider.</summary>
public interface IExperienceProvider
{
    /// <summary>A short name for logs and metrics, such as <c>MoEngage</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Fetches the experiences of <paramref name="request"/>. Vendor errors are reported as failed keys, not thrown;
    /// the caller bounds the time it waits and cancels <paramref name="cancellationToken"/> when it gives up.
    /// </summary>
    ValueTask<ExperienceFetchResult> FetchAsync(ExperienceRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The id this provider decides <paramref name="identity"/>'s experiences for, which keys the visitor's cache
    /// entries, so that a cached answer is always one fetched for the id the provider would be sent now; null when it
    /// has none (every page view then asks the provider). Default <see cref="VisitorIdentity.UserId"/>.
    /// </summary>
    string? CacheUserId(VisitorIdentity identity) => identity.UserId;
}
