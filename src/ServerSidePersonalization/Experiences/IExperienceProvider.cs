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
}
