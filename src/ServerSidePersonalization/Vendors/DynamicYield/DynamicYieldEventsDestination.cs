using ServerSidePersonalization.Context;
using ServerSidePersonalization.Tracking;
using ServerSidePersonalization.Vendors.DynamicYield.Events;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>
/// Reports the conversions the site tracks as <see cref="DynamicYieldEvent"/>s to <c>POST {base}/v2/collect/user/event</c>,
/// with the visitor's ids in the site's mode and the client's address as <c>context.device.ip</c>. It is switched with
/// the engagement destination (<c>Personalization:Tracking:DynamicYield</c>), and a visitor with no id Dynamic Yield
/// knows is skipped and counted, not reported under someone else's id.
/// </summary>
internal sealed class DynamicYieldEventsDestination : ITrackingDestination
{
    public const string DestinationName = "DynamicYieldEvents";

    private const string EventPath = "v2/collect/user/event";

    private readonly DynamicYieldCollector _collector;
    private readonly Uri _endpoint;

    public DynamicYieldEventsDestination(DynamicYieldCollector collector)
    {
        _collector = collector;
        _endpoint = collector.Endpoint(EventPath);
    }

    public string Name => DestinationName;

    /// <summary>
    /// One event per call: the API takes one user per request and has no de-duplication id (other than a purchase's
    /// <c>uniqueTransactionId</c>), so a batch that failed half-way could not be sent again without counting events twice.
    /// </summary>
    public int MaxBatchSize => 1;

    public bool Accepts(TrackingEvent trackingEvent)
    {
        return trackingEvent is { Kind: TrackingEventKind.Conversion, Conversion: DynamicYieldEvent }
            && _collector.HasIds(trackingEvent, Name);
    }

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(batch.Count, MaxBatchSize, nameof(batch));
        var trackingEvent = batch[0];
        if (trackingEvent.Conversion is not DynamicYieldEvent conversion)
        {
            return DeliveryResult.Rejected("not a Dynamic Yield event");
        }

        if (_collector.Ids(trackingEvent, out var missing) is not { } ids)
        {
            return DeliveryResult.Rejected(missing!);
        }

        var body = new DynamicYieldEventRequest(
            ids.User, ids.Session, Context(trackingEvent.Attributes), [new DynamicYieldEventBody(conversion.Name, conversion.ToProperties())]);
        return await _collector.PostAsync(
            _endpoint,
            body,
            DynamicYieldJsonContext.Default.DynamicYieldEventRequest,
            cancellationToken,
            status => status == 422 ? "HTTP 422: the event did not match its schema" : null).ConfigureAwait(false);
    }

    /// <summary>The client's address, which Dynamic Yield uses for geo targeting; left out when the site does not collect it.</summary>
    private static DynamicYieldEventContext? Context(RequestAttributes attributes) =>
        attributes.IpAddress is { } ip ? new DynamicYieldEventContext(new DynamicYieldDevice(UserAgent: null, ip)) : null;
}
