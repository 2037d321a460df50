namespace ServerSidePersonalization.Tracking;

/// <summary>
/// How a package offers the durable outbox (ServerSidePersonalization.Redis): whether it can, given the bound options
/// (asked by the start-up validator, so it must not read <c>IOptions&lt;PersonalizationOptions&gt;</c> itself), and the
/// outbox, built once when <see cref="TrackingOptions.Durable"/> is on.
/// </summary>
internal sealed class TrackingOutboxFactory(
    Func<IServiceProvider, PersonalizationOptions, bool> isConfigured,
    Func<IServiceProvider, ITrackingOutbox> create)
{
    public bool IsConfigured(IServiceProvider services, PersonalizationOptions options) => isConfigured(services, options);

    public ITrackingOutbox Create(IServiceProvider services) => create(services);
}
