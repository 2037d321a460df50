using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.Tracking;

/// <summary>
/// A module's destination whose use depends on configuration: <see cref="Create"/> answers null when it is off.
/// Destinations an application registers as <see cref="ITrackingDestination"/> are always on.
/// </summary>
/// <param name="Name">The switch it is turned on and off by (<c>Personalization:Tracking:{Name}:Enabled</c>).</param>
/// <param name="Create">Builds the destination, or answers null when it is off.</param>
internal sealed record TrackingDestinationRegistration(string Name, Func<IServiceProvider, ITrackingDestination?> Create)
{
    /// <summary>
    /// A destination built from the container when <c>Personalization:Tracking:{name}:Enabled</c> says so, or, when that
    /// is not set, when <paramref name="enabledByDefault"/> holds.
    /// </summary>
    public static TrackingDestinationRegistration When<TDestination>(string name, Func<IServiceProvider, bool> enabledByDefault)
        where TDestination : ITrackingDestination =>
        new(name, services => IsEnabled(services, name, enabledByDefault)
            ? ActivatorUtilities.CreateInstance<TDestination>(services)
            : null);

    /// <summary>Whether the destination <paramref name="name"/> is on, by its switch or else its default.</summary>
    public static bool IsEnabled(IServiceProvider services, string name, Func<IServiceProvider, bool> enabledByDefault) =>
        services.GetRequiredService<IOptionsMonitor<TrackingDestinationOptions>>().Get(name).Enabled ?? enabledByDefault(services);
}
