namespace ServerSidePersonalization.Experiences;

/// <summary>
/// Where the request path gets experiences from: the provider itself, or the cache in front of it. Never throws for
/// a vendor problem; failed keys are reported in the result.
/// </summary>
internal interface IExperienceSource
{
    Task<ExperienceFetchResult> GetAsync(ExperienceRequest request, CancellationToken cancellationToken);
}
