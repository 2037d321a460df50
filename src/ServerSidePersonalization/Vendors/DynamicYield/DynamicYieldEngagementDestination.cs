using Microsoft.Extensions.Options;
using ServerSidePersonalization.Diagnostics;
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
    public const string HttpClientName = "ServerSidePersonalization.DynamicYield";
    public const string ApiKeyHeader = "DY-API-Key";

    /// <summary>
    /// A report has no page waiting on it, but a hung call holds up every later one of the queue, so it gets a bound
    /// well under HttpClient's 100 s.
    /// </summary>
    public static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(10);

    private const string EngagementPath = "v2/collect/user/engagement";

    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;
    private readonly PersonalizationMetrics _metrics;
    private readonly DynamicYieldOptions _options;
    private readonly string _visitorCookie;
    private readonly Uri _endpoint;
    private readonly DynamicYieldNewUsers _newUsers;

    public DynamicYieldEngagementDestination(
        IHttpClientFactory httpClients,
        IOptions<DynamicYieldOptions> options,
        IOptions<PersonalizationOptions> personalization,
        TimeProvider time,
        PersonalizationMetrics metrics,
        DynamicYieldNewUsers newUsers)
    {
        _newUsers = newUsers;
        _httpClients = httpClients;
        _time = time;
        _metrics = metrics;
        _options = options.Value;
        _visitorCookie = personalization.Value.Identity.VisitorCookie;
        _endpoint = new Uri(_options.ResolveBaseUrl(), EngagementPath);
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
            TrackingEventKind.Impression => _options.ImpressionMode == DynamicYieldImpressionMode.Rendered,
            TrackingEventKind.Click => true,
            _ => false,
        };
        if (!reportable)
        {
            return false;
        }

        if (Ids(trackingEvent, out var missing) is null)
        {
            _metrics.TrackingSkipped(Name, missing!);
            return false;
        }

        return true;
    }

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(batch.Count, MaxBatchSize, nameof(batch));
        var engagement = batch[0];
        if (Ids(engagement, out var missing) is not { } ids)
        {
            return DeliveryResult.Rejected(missing!);
        }

        var body = new DynamicYieldEngagementRequest(ids.User, ids.Session, [ToEngagement(engagement)]);
        return await DynamicYieldCollect.PostAsync(
            _httpClients.CreateClient(HttpClientName),
            _endpoint,
            body,
            DynamicYieldJsonContext.Default.DynamicYieldEngagementRequest,
            _options.ApiKey,
            _time,
            cancellationToken).ConfigureAwait(false);
    }

    private DynamicYieldIds? Ids(TrackingEvent trackingEvent, out string? missing) =>
        DynamicYieldUsers.ForEvent(trackingEvent.Identity, _options.Mode, _visitorCookie, _newUsers, out missing);

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
