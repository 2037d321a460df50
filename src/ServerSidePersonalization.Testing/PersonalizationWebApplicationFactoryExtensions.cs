using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Testing;
using ServerSidePersonalization.Tracking;
using ServerSidePersonalization.Vendors.DynamicYield;

namespace Microsoft.AspNetCore.Mvc.Testing;

/// <summary>
/// Pins a site's experiences in its own <see cref="WebApplicationFactory{TEntryPoint}"/> tests and reads back what its
/// pages tracked.
/// </summary>
public static class PersonalizationWebApplicationFactoryExtensions
{
    /// <summary>
    /// A factory whose site gives every visitor the experiences pinned by <paramref name="configure"/> (keys not pinned
    /// are absent) and records the impressions and clicks it tracks instead of reporting them: no vendor is called, and
    /// no vendor destination is on. Calling it again on the result replaces the pins. The site's privacy rules still
    /// hold: a request needs a browser's User-Agent, since one without is a bot (fallback content, nothing recorded).
    /// </summary>
    public static WebApplicationFactory<TEntryPoint> WithPersonalization<TEntryPoint>(
        this WebApplicationFactory<TEntryPoint> factory, Action<PinnedExperiences> configure)
        where TEntryPoint : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(configure);
        var pins = new PinnedExperiences();
        configure(pins);
        return factory.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            services.AddSingleton(new PinnedExperienceProvider(pins));
            services.AddServerSidePersonalization(options => options.Provider = PinnedExperiences.Vendor)
                .AddExperienceProvider<PinnedExperienceProvider>(PinnedExperiences.Vendor, PinnedExperienceProvider.Budget);

            // Every key is the pins' to answer, and no event leaves the test: the site's vendor destinations and the keys
            // it routes to Dynamic Yield whatever the provider are switched off.
            services.PostConfigureAll<TrackingDestinationOptions>(destination => destination.Enabled = false);
            services.PostConfigure<DynamicYieldOptions>(dynamicYield => dynamicYield.Selectors.Clear());
            if (!services.Any(d => d.ServiceType == typeof(TrackingRecorder)))
            {
                services.AddSingleton<TrackingRecorder>();
                services.AddSingleton<ITrackingDestination>(sp => sp.GetRequiredService<TrackingRecorder>());
            }
        }));
    }

    extension<TEntryPoint>(WebApplicationFactory<TEntryPoint> factory)
        where TEntryPoint : class
    {
        /// <summary>The impressions the site tracked so far, oldest first; complete once a response has been read to its end.</summary>
        public IReadOnlyList<TrackingEvent> RecordedImpressions => Recorder(factory).Recorded(TrackingEventKind.Impression);

        /// <summary>The clicks the site tracked so far, oldest first; complete once a response has been read to its end.</summary>
        public IReadOnlyList<TrackingEvent> RecordedClicks => Recorder(factory).Recorded(TrackingEventKind.Click);
    }

    private static TrackingRecorder Recorder<TEntryPoint>(WebApplicationFactory<TEntryPoint> factory)
        where TEntryPoint : class =>
        factory.Services.GetService<TrackingRecorder>()
            ?? throw new InvalidOperationException("Nothing is recorded: this factory was not made by WithPersonalization().");
}
