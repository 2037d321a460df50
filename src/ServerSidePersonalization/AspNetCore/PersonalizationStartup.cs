using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// Builds the chosen provider and the cache while the host starts, so a missing or broken experiences file or a bad
/// Redis connection string stops the app instead of failing the first page, and Redis starts connecting early.
/// </summary>
internal sealed class PersonalizationStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<IExperienceSource>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
