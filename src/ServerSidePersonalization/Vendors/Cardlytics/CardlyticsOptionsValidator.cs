using Microsoft.Extensions.Options;
using ServerSidePersonalization.Http;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.Cardlytics;

/// <summary>
/// Cardlytics' start-up rules: a half-configured destination (a client id without a secret, a secret without a client
/// id, or switched on without them) stops start-up naming the missing key; a used one needs a section, a channel, a
/// valid host, field names, and a default click event from the document's offer actions when one is set.
/// </summary>
internal sealed class CardlyticsOptionsValidator(IOptionsMonitor<TrackingDestinationOptions> destinations) : IValidateOptions<CardlyticsOptions>
{
    private const string Prefix = PersonalizationOptions.SectionName + ":" + CardlyticsOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, CardlyticsOptions options)
    {
        var enabled = destinations.Get(CardlyticsOptions.Name).Enabled;
        var hasId = !string.IsNullOrWhiteSpace(options.ClientId);
        var hasSecret = !string.IsNullOrWhiteSpace(options.Secret);
        if (enabled == false || (enabled is null && !hasId && !hasSecret))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        var because = enabled == true ? " is required when " + Prefix + "Enabled is true."
            : hasId ? " is required when " + Prefix + "ClientId is set."
            : " is required when " + Prefix + "Secret is set.";
        if (!hasId)
        {
            failures.Add(Prefix + "ClientId" + because);
        }

        if (!hasSecret)
        {
            failures.Add(Prefix + "Secret" + because);
        }

        if (string.IsNullOrWhiteSpace(options.Section))
        {
            failures.Add(Prefix + "Section (the ads' section, such as LatestOffers)" + because);
        }

        if (string.IsNullOrWhiteSpace(options.Channel))
        {
            failures.Add(Prefix + "Channel must not be empty (default OLB).");
        }

        VendorUrl.Check(options.BaseUrl, Prefix + "BaseUrl", failures);
        if (string.IsNullOrWhiteSpace(options.ServeTokenField))
        {
            failures.Add(Prefix + "ServeTokenField must name a payload or attribution field (default serveToken).");
        }

        if (string.IsNullOrWhiteSpace(options.DisplayPositionField))
        {
            failures.Add(Prefix + "DisplayPositionField must name a payload or attribution field (default displayPosition).");
        }

        if (options.ClickEvent is { } clickEvent && !CardlyticsEventNames.OfferActions.Contains(clickEvent))
        {
            failures.Add($"{Prefix}ClickEvent must be one of {string.Join(", ", CardlyticsEventNames.OfferActions)}, or unset.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The DataAnnotations ranges on <see cref="CardlyticsOptions"/>, checked without reflection.</summary>
[OptionsValidator]
internal sealed partial class CardlyticsOptionsDataValidator : IValidateOptions<CardlyticsOptions>;
