using System.Text.Json;

namespace ServerSidePersonalization.Experiences;

/// <summary>
/// What a vendor needs back to attribute an impression or click to this experience, kept exactly as received
/// (for MoEngage, the <c>experience_context</c> object).
/// </summary>
public sealed class ExperienceAttribution
{
    /// <summary>Creates an attribution.</summary>
    /// <param name="vendor">The vendor that decided the experience (for example <c>MoEngage</c>, <c>Local</c>).</param>
    /// <param name="context">The vendor's attribution object, verbatim.</param>
    /// <param name="variationId">The variation shown, when the vendor names it.</param>
    /// <param name="decisionId">Dynamic Yield's <c>decisionId</c>, reported with clicks.</param>
    public ExperienceAttribution(string vendor, JsonElement context, string? variationId = null, string? decisionId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(vendor);
        Vendor = vendor;
        Context = context;
        VariationId = variationId;
        DecisionId = decisionId;
    }

    /// <summary>The vendor that decided the experience.</summary>
    public string Vendor { get; }

    /// <summary>The vendor's attribution object exactly as received; sent back unchanged with impressions and clicks.</summary>
    public JsonElement Context { get; }

    /// <summary>The variation shown, when the vendor names it.</summary>
    public string? VariationId { get; }

    /// <summary>Dynamic Yield's <c>decisionId</c> for this choice; clicks on it are reported as <c>CLICK</c> engagements.</summary>
    public string? DecisionId { get; }
}
