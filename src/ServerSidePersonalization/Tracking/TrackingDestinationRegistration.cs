using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.Tracking;

/// <summary>
/// A built-in destination whose use depends on configuration: <see cref="Create"/> answers null when it is off.
/// Destinations an application registers as <see cref="ITrackingDestination"/> are always on.
/// </summary>
internal sealed record TrackingDestinationRegistration(Func<IServiceProvider, ITrackingDestination?> Create)
{
    /// <summary>A destination built from the container when <paramref name="enabled"/> holds for the bound options.</summary>
    public static TrackingDestinationRegistration When<TDestination>(Func<PersonalizationOptions, bool> enabled)
        where TDestination : ITrackingDestination =>
        new(services => enabled(services.GetRequiredService<IOptions<PersonalizationOptions>>().Value)
            ? ActivatorUtilities.CreateInstance<TDestination>(services)
            : null);
}
