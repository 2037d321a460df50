namespace ServerSidePersonalization.Tracking;

/// <summary>What became of one delivery attempt.</summary>
public readonly record struct DeliveryResult
{
    private readonly IReadOnlyList<DeliveryRejection>? _rejections;
    private readonly IReadOnlyList<TrackingEvent>? _retry;

    private DeliveryResult(
        DeliveryOutcome outcome,
        TimeSpan? retryAfter,
        string? reason,
        IReadOnlyList<DeliveryRejection>? rejections = null,
        IReadOnlyList<TrackingEvent>? retry = null)
    {
        Outcome = outcome;
        RetryAfter = retryAfter;
        Reason = reason;
        _rejections = rejections;
        _retry = retry;
    }

    /// <summary>Delivered, to be retried, rejected, or partly delivered.</summary>
    public DeliveryOutcome Outcome { get; }

    /// <summary>For a retry (of the whole batch, or of <see cref="RetryEvents"/>), how long the vendor asked to wait (Retry-After), if it did.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// A short reason for logs (an HTTP status, the vendor's error title): why the batch is retried or rejected, or for
    /// <see cref="DeliveryOutcome.Partial"/> why <see cref="RetryEvents"/> are retried. Never secrets or personal data.
    /// </summary>
    public string? Reason { get; }

    /// <summary>For <see cref="DeliveryOutcome.Partial"/>, the events refused for good, each group with its reason; empty otherwise.</summary>
    public IReadOnlyList<DeliveryRejection> Rejections => _rejections ?? [];

    /// <summary>For <see cref="DeliveryOutcome.Partial"/>, the events to send again later; empty otherwise.</summary>
    public IReadOnlyList<TrackingEvent> RetryEvents => _retry ?? [];

    /// <summary>The batch was accepted.</summary>
    public static DeliveryResult Delivered { get; } = new(DeliveryOutcome.Delivered, null, null);

    /// <summary>A transient problem (network, 408, 429, 5xx): send the same batch again later.</summary>
    public static DeliveryResult Retry(string reason, TimeSpan? retryAfter = null) => new(DeliveryOutcome.Retry, retryAfter, reason);

    /// <summary>A permanent problem (other 4xx): sending again cannot help; the batch is dropped and counted.</summary>
    public static DeliveryResult Rejected(string reason) => new(DeliveryOutcome.Rejected, null, reason);

    /// <summary>
    /// The destination refused the credentials (401, 403). The batch is kept, the destination pauses for
    /// <see cref="TrackingOptions.AuthFailurePause"/> and then tries again, and one error is logged per outage.
    /// </summary>
    /// <param name="reason">The status and the setting to fix, e.g. <c>HTTP 401: check Personalization:MoEngage:ApiKey</c>; never the secret itself.</param>
    public static DeliveryResult Unauthorized(string reason) => new(DeliveryOutcome.Unauthorized, null, reason);

    /// <summary>
    /// Part of the batch got through: the events in <paramref name="rejected"/> are dropped and counted, those in
    /// <paramref name="retry"/> are sent again later (for <paramref name="retryReason"/>, after <paramref name="retryAfter"/>
    /// if given), and every other event of the batch was accepted.
    /// </summary>
    /// <param name="rejected">The events refused for good, grouped by reason.</param>
    /// <param name="retry">The events not yet accepted that are worth sending again.</param>
    /// <param name="retryReason">Why <paramref name="retry"/> failed; required when it holds events.</param>
    /// <param name="retryAfter">How long the vendor asked to wait before the retry, if it did.</param>
    public static DeliveryResult Partial(
        IReadOnlyList<DeliveryRejection> rejected,
        IReadOnlyList<TrackingEvent>? retry = null,
        string? retryReason = null,
        TimeSpan? retryAfter = null)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        if (retry is { Count: > 0 })
        {
            ArgumentException.ThrowIfNullOrEmpty(retryReason);
        }

        return new(DeliveryOutcome.Partial, retryAfter, retryReason, rejected, retry);
    }
}
