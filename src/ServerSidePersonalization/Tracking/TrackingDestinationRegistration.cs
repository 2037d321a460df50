namespace ServerSidePersonalization.Tracking;

/// <summary>
/// A built-in destination whose use depends on configuration: <see cref="Create"/> answers null when it is off.
/// Destinations an application registers as <see cref="ITrackingDestination"/> are always on.
/// </summary>
internal sealed record TrackingDestinationRegistration(Func<IServiceProvider, ITrackingDestination?> Create);
