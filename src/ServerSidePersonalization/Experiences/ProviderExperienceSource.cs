using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Experiences;

/// <summary>Calls the configured provider, turning anything it throws into failed keys.</summary>
internal sealed class ProviderExperienceSource(IExperienceProvider provider, ILogger<ProviderExperienceSource> logger) : IExperienceSource
{
    public async Task<ExperienceFetchResult> GetAsync(ExperienceRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await provider.FetchAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.ProviderThrew(logger, provider.Name, ex);
            return ExperienceFetchResult.Failed(request.Keys);
        }
    }
}
