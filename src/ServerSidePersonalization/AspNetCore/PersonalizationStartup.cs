using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// Builds the chosen provider while the host starts, so a missing or broken experiences file stops the app instead of
/// failing the first page.
/// </summary>
internal sealed class PersonalizationStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<SelectedProvider>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
