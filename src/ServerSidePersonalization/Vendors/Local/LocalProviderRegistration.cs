using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.Local;

internal static class LocalProviderRegistration
{
    /// <summary>The Local provider answers from memory; the budget only guards against a pathological file.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    public static void AddLocalProvider(this IServiceCollection services)
    {
        services.TryAddSingleton<LocalExperienceStore>();
        services.TryAddSingleton<LocalExperienceProvider>();
        services.TryAddSingleton<LocalTrackingStore>();
        services.AddSingleton(TrackingDestinationRegistration.When<LocalTrackingDestination>(
            options => options.Tracking.Local.Enabled ?? options.Provider == PersonalizationProvider.Local));
    }
}
