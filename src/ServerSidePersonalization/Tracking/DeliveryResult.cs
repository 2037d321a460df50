namespace ServerSidePersonalization.Tracking;

/// <summary>What became of one delivery attempt.</summary>
public readonly record struct DeliveryResult
{
    private DeliveryResult(DeliveryOutcome outcome, TimeSpan? retryAfter, string? reason)
    {
        Outcome = outcome;
        RetryAfter = retryAfter;
        Reason = reason;
    }

    /// <summary>Delivered, to be retried, or rejected.</summary>
    public DeliveryOutcome Outcome { get; }

    /// <summary>For <see cref="DeliveryOutcome.Retry"/>, how long the vendor asked to wait (Retry-After), if it did.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>A short reason for logs (an HTTP status, the vendor's error title); never secrets or personal data.</summary>
    public string? Reason { get; }

    /// <summary>The batch was accepted.</summary>
    public static DeliveryResult Delivered { get; } = new(DeliveryOutcome.Delivered, null, null);

    /// <summary>A transient problem (network, 408, 429, 5xx): send the same batch again later.</summary>
    public static DeliveryResult Retry(string reason, TimeSpan? retryAfter = null) => new(DeliveryOutcome.Retry, retryAfter, reason);

    /// <summary>A permanent problem (other 4xx): sending again cannot help; the batch is dropped and counted.</summary>
    public static DeliveryResult Rejected(string reason) => new(DeliveryOutcome.Rejected, null, reason);
}

/// <summary>The outcome of a delivery attempt.</summary>
public enum DeliveryOutcome
{
    /// <summary>Accepted by the destination.</summary>
    Delivered,

    /// <summary>Worth trying again.</summary>
    Retry,

    /// <summary>Refused for good.</summary>
    Rejected,
}
