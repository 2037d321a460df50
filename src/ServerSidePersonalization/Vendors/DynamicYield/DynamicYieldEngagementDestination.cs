using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>
/// Reports engagement with what Dynamic Yield served to <c>POST {base}/v2/collect/user/engagement</c>: an <c>IMP</c>
/// for each choice the page rendered (in <see cref="DynamicYieldImpressionMode.Rendered"/> mode; in implicit mode the
/// choose call counted it), a <c>SLOT_CLICK</c> for a click on a recommendation slot, a <c>CLICK</c> with the choice's
/// <c>decisionId</c> and the variation clicked otherwise. Experiences other vendors served are never reported here,
/// and a visitor with no id Dynamic Yield knows is skipped and counted, not reported under someone else's id.
/// </summary>
internal sealed class DynamicYieldEngagementDestination : ITrackingDestination
{
    private const string EngagementPath = "v2/collect/user/engagement";

    private readonly DynamicYieldCollector _collector;
    private readonly Uri _endpoint;

    public DynamicYieldEngagementDestination(DynamicYieldCollector collector)
    {
        _collector = collector;
        _endpoint = collector.Endpoint(EngagementPath);
    }

    public string Name => DynamicYieldOptions.Name;

    /// <summary>
    /// One engagement per call: the API takes one user per request and has no de-duplication id, so a batch that
    /// failed half-way could not be sent again without counting someone else's engagement twice.
    /// </summary>
    public int MaxBatchSize => 1;

    public bool Accepts(TrackingEvent trackingEvent)
    {
        if (trackingEvent.Attribution is not { Vendor: DynamicYieldOptions.Name } attribution || string.IsNullOrEmpty(attribution.DecisionId))
        {
            return false;
        }

        var reportable = trackingEvent.Kind switch
        {
            TrackingEventKind.Impression => _collector.Options.ImpressionMode == DynamicYieldImpressionMode.Rendered,
            TrackingEventKind.Click => true,
            _ => false,
        };
        return reportable && _collector.HasIds(trackingEvent, Name);
    }

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(batch.Count, MaxBatchSize, nameof(batch));
        var engagement = batch[0];
        if (_collector.Ids(engagement, out var missing) is not { } ids)
        {
            return DeliveryResult.Rejected(missing!);
        }

        var body = new DynamicYieldEngagementRequest(ids.User, ids.Session, [ToEngagement(engagement)]);
        return await _collector.PostAsync(_endpoint, body, DynamicYieldJsonContext.Default.DynamicYieldEngagementRequest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A click on a recommendation slot is the finer report (<c>SLOT_CLICK</c>); any other click is a <c>CLICK</c> on the
    /// choice, and an impression an <c>IMP</c>, both with the variation shown, which multi-variation campaigns need.
    /// </summary>
    private static DynamicYieldEngagement ToEngagement(TrackingEvent trackingEvent)
    {
        var attribution = trackingEvent.Attribution!;
        if (trackingEvent.Kind == TrackingEventKind.Click && !string.IsNullOrEmpty(trackingEvent.SlotId))
        {
            return new DynamicYieldEngagement { Type = DynamicYieldEngagement.SlotClick, SlotId = trackingEvent.SlotId };
        }

        return new DynamicYieldEngagement
        {
            Type = trackingEvent.Kind == TrackingEventKind.Impression ? DynamicYieldEngagement.Impression : DynamicYieldEngagement.Click,
            DecisionId = attribution.DecisionId,
            Variations = DynamicYieldVariationIds.Parse(attribution.VariationId),
        };
    }
}
