namespace ServerSidePersonalization.Vendors.DynamicYield.Events;

/// <summary>
/// A newsletter subscription (<c>newsletter-subscription-v1</c>), which also ties the device's user to the hashed address
/// entered, account or not. It takes no other kind of customer id.
/// </summary>
public sealed class NewsletterSubscriptionEvent : DynamicYieldEvent
{
    /// <summary>The display name used when none is given.</summary>
    public const string DefaultName = "Newsletter Subscription";

    /// <summary>Creates a newsletter subscription event.</summary>
    /// <param name="hashedEmail">The address subscribed, hashed by <see cref="DynamicYieldEmail.Hash"/>.</param>
    /// <param name="name">The display name; <see cref="DefaultName"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="hashedEmail"/> is missing or not a hash; <c>ParamName</c> is the field.</exception>
    public NewsletterSubscriptionEvent(string hashedEmail, string? name = null)
        : base(name ?? DefaultName)
    {
        HashedEmail = DynamicYieldEventRules.HashedEmail(hashedEmail);
    }

    /// <summary>The SHA-256 of the subscribed lower-cased address.</summary>
    public string HashedEmail { get; }

    internal override DynamicYieldEventProperties ToProperties() => new() { DyType = "newsletter-subscription-v1", HashedEmail = HashedEmail };
}
