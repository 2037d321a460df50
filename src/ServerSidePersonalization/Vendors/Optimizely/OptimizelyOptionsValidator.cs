using Microsoft.Extensions.Options;
using ServerSidePersonalization.Tracking;
using ServerSidePersonalization.Http;

namespace ServerSidePersonalization.Vendors.Optimizely;

/// <summary>
/// ODP's start-up rules: a half-configured destination (switched on, or given a host, without an API key) stops
/// start-up naming the missing key; a used one needs a valid host, channel type, actions from the document's list and,
/// when set, a custom identifier name that is not one of ODP's defaults.
/// </summary>
internal sealed class OptimizelyOptionsValidator(IOptionsMonitor<TrackingDestinationOptions> destinations) : IValidateOptions<OptimizelyOptions>
{
    private const string Prefix = PersonalizationOptions.SectionName + ":" + OptimizelyOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, OptimizelyOptions options)
    {
        var enabled = destinations.Get(OptimizelyOptions.Name).Enabled;
        if (enabled == false)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            if (enabled == true)
            {
                failures.Add(Prefix + "ApiKey is required when " + Prefix + "Enabled is true.");
            }
            else if (!string.IsNullOrWhiteSpace(options.BaseUrl))
            {
                failures.Add(Prefix + "ApiKey is required when " + Prefix + "BaseUrl is set.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Skip : ValidateOptionsResult.Fail(failures);
        }

        VendorUrl.Check(options.BaseUrl, Prefix + "BaseUrl", failures);
        if (!OptimizelyNames.IsFieldName(options.ChannelType))
        {
            failures.Add(Prefix + "ChannelType must be a lower-case name of letters, digits and '_' (default web_personalization).");
        }

        CheckAction(options.Actions.Impression, "Impression", failures);
        CheckAction(options.Actions.Click, "Click", failures);
        if (options.CustomerIdentifier is { } identifier
            && (!OptimizelyNames.IsFieldName(identifier) || OptimizelyOptions.DefaultIdentifiers.Contains(identifier)))
        {
            failures.Add(Prefix + "CustomerIdentifier must name a custom ODP identifier field (lower-case letters, digits and '_'), not one of "
                + string.Join(", ", OptimizelyOptions.DefaultIdentifiers) + ".");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckAction(string? action, string key, List<string> failures)
    {
        if (action is null || !OptimizelyOptions.ChannelActions.Contains(action))
        {
            failures.Add($"{Prefix}Actions:{key} must be one of {string.Join(", ", OptimizelyOptions.ChannelActions)}.");
        }
    }
}

/// <summary>The DataAnnotations ranges on <see cref="OptimizelyOptions"/>, checked without reflection.</summary>
[OptionsValidator]
internal sealed partial class OptimizelyOptionsDataValidator : IValidateOptions<OptimizelyOptions>;
