using System.Diagnostics;

namespace ServerSidePersonalization.Diagnostics;

/// <summary>
/// The library's spans. Each starts only when someone listens to <see cref="PersonalizationTracing.ActivitySourceName"/>,
/// and its tags are built only then.
/// </summary>
internal static class PersonalizationActivities
{
    private static readonly ActivitySource Source = new(PersonalizationTracing.ActivitySourceName);

    public static Activity? StartCacheLoad(string provider, IReadOnlyList<string> keys) =>
        Start(PersonalizationTracing.CacheLoad, PersonalizationTracing.ProviderTag, provider, keys);

    public static Activity? StartL2Get(string provider, IReadOnlyList<string> keys) =>
        Start(PersonalizationTracing.L2Get, PersonalizationTracing.ProviderTag, provider, keys);

    public static Activity? StartProviderFetch(string provider, IReadOnlyList<string> keys) =>
        Start(PersonalizationTracing.ProviderFetch, PersonalizationTracing.ProviderTag, provider, keys);

    /// <summary>A delivery attempt of <paramref name="batch"/>; its tags name the experiences, never the visitors.</summary>
    public static Activity? StartDelivery(string destination, IReadOnlyList<Tracking.TrackingEvent> batch, int attempt)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var keys = batch.Select(e => e.ExperienceKey).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var activity = Start(PersonalizationTracing.TrackingDelivery, PersonalizationTracing.DestinationTag, destination, keys);
        activity?.SetTag(PersonalizationTracing.EventsTag, batch.Count).SetTag(PersonalizationTracing.AttemptTag, attempt);
        return activity;
    }

    /// <summary>Tags how the span's operation ended; an error status for the outcomes that mean something failed.</summary>
    public static void Outcome(Activity? activity, string outcome, bool failed = false)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(PersonalizationTracing.OutcomeTag, outcome);
        if (failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, outcome);
        }
    }

    public static string DeliveryOutcome(Tracking.DeliveryOutcome outcome) => outcome switch
    {
        Tracking.DeliveryOutcome.Delivered => "delivered",
        Tracking.DeliveryOutcome.Partial => "partial",
        Tracking.DeliveryOutcome.Retry => "retry",
        Tracking.DeliveryOutcome.Rejected => "rejected",
        Tracking.DeliveryOutcome.Unauthorized => "unauthorized",
        _ => "unknown",
    };

    public static void Origin(Activity? activity, string origin) => activity?.SetTag(PersonalizationTracing.OriginTag, origin);

    private static Activity? Start(string name, string ownerTag, string owner, IReadOnlyList<string> keys)
    {
        var activity = Source.StartActivity(name, ActivityKind.Internal);
        activity?.SetTag(ownerTag, owner).SetTag(PersonalizationTracing.KeysTag, keys.ToArray());
        return activity;
    }
}
