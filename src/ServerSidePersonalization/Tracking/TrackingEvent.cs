using ServerSidePersonalization.Context;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Tracking;

/// <summary>
/// One impression, click or conversion, in vendor-neutral form. Its <see cref="Id"/> is a UUIDv4 created once and sent unchanged
/// on every retry, so vendors that de-duplicate by an event id count it once.
/// </summary>
public sealed class TrackingEvent
{
    private static readonly IReadOnlyDictionary<string, string> NoFields = new Dictionary<string, string>(0);

    /// <summary>Creates an impression or a click.</summary>
    /// <param name="kind">Impression or click.</param>
    /// <param name="experienceKey">The experience's key.</param>
    /// <param name="attribution">The vendor's attribution, as fetched.</param>
    /// <param name="identity">Who saw or clicked it.</param>
    /// <param name="occurredAt">When it happened.</param>
    /// <param name="elementId">For clicks, which element was clicked (an element id).</param>
    /// <param name="slotId">For clicks on a recommendation, the vendor's slot id of the item.</param>
    /// <param name="attributes">The in-session attributes of the request it happened on (a destination may report some).</param>
    /// <param name="id">The event id; a new UUIDv4 when null.</param>
    /// <param name="action">For clicks, what the link does, as the page named it (<c>experience-action</c>); null when it names nothing.</param>
    /// <param name="fields">The experience's payload fields that destinations asked to report with its events (see <see cref="Fields"/>).</param>
    public TrackingEvent(
        TrackingEventKind kind,
        string experienceKey,
        ExperienceAttribution attribution,
        VisitorIdentity identity,
        DateTimeOffset occurredAt,
        string? elementId = null,
        string? slotId = null,
        RequestAttributes? attributes = null,
        Guid? id = null,
        string? action = null,
        IReadOnlyDictionary<string, string>? fields = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(experienceKey);
        ArgumentNullException.ThrowIfNull(attribution);
        ArgumentNullException.ThrowIfNull(identity);
        Kind = kind;
        ExperienceKey = experienceKey;
        Attribution = attribution;
        Identity = identity;
        OccurredAt = occurredAt;
        ElementId = elementId;
        SlotId = slotId;
        Attributes = attributes ?? RequestAttributes.Empty;
        Id = id ?? Guid.NewGuid();
        Action = action;
        Fields = fields ?? NoFields;
    }

    /// <summary>Creates a conversion.</summary>
    /// <param name="conversion">What happened, in the form of the vendor it is meant for.</param>
    /// <param name="identity">Who converted.</param>
    /// <param name="occurredAt">When it happened.</param>
    /// <param name="attributes">The in-session attributes of the request it happened on; null for none.</param>
    public TrackingEvent(IConversionEvent conversion, VisitorIdentity identity, DateTimeOffset occurredAt, RequestAttributes? attributes)
    {
        ArgumentNullException.ThrowIfNull(conversion);
        ArgumentNullException.ThrowIfNull(identity);
        Kind = TrackingEventKind.Conversion;
        Conversion = conversion;
        Identity = identity;
        OccurredAt = occurredAt;
        Attributes = attributes ?? RequestAttributes.Empty;
        Id = Guid.NewGuid();
        Fields = NoFields;
    }

    /// <summary>The event id (UUIDv4), the same on every delivery attempt.</summary>
    public Guid Id { get; }

    /// <summary>Impression or click.</summary>
    public TrackingEventKind Kind { get; }

    /// <summary>The experience's key; null for a conversion.</summary>
    public string? ExperienceKey { get; }

    /// <summary>The vendor's attribution, exactly as fetched; null for a conversion.</summary>
    public ExperienceAttribution? Attribution { get; }

    /// <summary>For <see cref="TrackingEventKind.Conversion"/>, what happened; null otherwise.</summary>
    public IConversionEvent? Conversion { get; }

    /// <summary>Who saw or clicked the experience.</summary>
    public VisitorIdentity Identity { get; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset OccurredAt { get; }

    /// <summary>For clicks, the element clicked.</summary>
    public string? ElementId { get; }

    /// <summary>For clicks on a recommendation, the vendor's slot id of the item.</summary>
    public string? SlotId { get; }

    /// <summary>The in-session attributes of the request the event happened on; empty when unknown.</summary>
    public RequestAttributes Attributes { get; }

    /// <summary>
    /// For clicks, what the clicked link does as the page named it (<c>experience-action</c> on a tracked link, or the
    /// <c>action</c> of <c>TrackClick</c>), such as <c>ActivateOffer</c>; null when it names nothing. Vendor-neutral: a
    /// destination that knows the name reports it, the others ignore it.
    /// </summary>
    public string? Action { get; }

    /// <summary>
    /// The payload fields of the experience that a destination asked to have reported with its impressions and clicks
    /// (a module registers their names, such as Cardlytics' serve token), as text; empty when none was asked for or present.
    /// </summary>
    public IReadOnlyDictionary<string, string> Fields { get; }
}
