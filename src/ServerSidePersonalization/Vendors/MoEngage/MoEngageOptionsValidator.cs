using Microsoft.Extensions.Options;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.MoEngage;

/// <summary>
/// MoEngage's start-up rules, checked only when MoEngage is used (the provider, or its events switched on): the
/// credentials, where the workspace lives, the timeouts, the anonymous-visitor policy, and custom attribute names that
/// would collide with the fetch body's own keys. Each failure names the configuration key to fix.
/// </summary>
internal sealed class MoEngageOptionsValidator(
    IOptions<PersonalizationOptions> personalization, IOptionsMonitor<TrackingDestinationOptions> destinations)
    : IValidateOptions<MoEngageOptions>
{
    private const string Prefix = PersonalizationOptions.SectionName + ":" + MoEngageOptions.SectionName + ":";

    private static readonly HashSet<string> ReservedAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "customer_id", "visitor_id", "experience_key", "DAY_OF_THE_WEEK", "TIME_OF_THE_DAY", "USER_IP_ADDRESS", "USER_AGENT",
    };

    public ValidateOptionsResult Validate(string? name, MoEngageOptions options)
    {
        var site = personalization.Value;
        var because = site.IsProvider(MoEngageOptions.Name) ? PersonalizationOptions.SectionName + ":Provider is MoEngage"
            : destinations.Get(MoEngageOptions.Name).Enabled == true ? PersonalizationOptions.SectionName + ":Tracking:MoEngage:Enabled is true"
            : null;
        if (because is null)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        var why = " is required when " + because + ".";
        if (string.IsNullOrWhiteSpace(options.WorkspaceId))
        {
            failures.Add(Prefix + "WorkspaceId" + why);
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add(Prefix + "ApiKey" + why);
        }

        if (!string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add(Prefix + "BaseUrl must be an absolute http or https URL.");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.DataCenter))
        {
            failures.Add(Prefix + "DataCenter (or " + Prefix + "BaseUrl)" + why);
        }
        else if (!MoEngageOptions.DataCenters.Contains(options.DataCenter))
        {
            failures.Add($"{Prefix}DataCenter must be one of {string.Join(", ", MoEngageOptions.DataCenters)}.");
        }

        if (!Enum.IsDefined(options.AnonymousVisitors))
        {
            failures.Add($"{Prefix}AnonymousVisitors must be {string.Join(" or ", Enum.GetNames<MoEngageAnonymousVisitors>())}.");
        }

        if (!Enum.IsDefined(options.CustomerId))
        {
            failures.Add($"{Prefix}CustomerId must be {string.Join(" or ", Enum.GetNames<MoEngageCustomerId>())}.");
        }

        if (options.HttpTimeout < options.Timeout)
        {
            failures.Add($"{Prefix}HttpTimeout must not be shorter than {Prefix}Timeout.");
        }

        foreach (var attribute in site.Context.Attributes.Keys)
        {
            if (ReservedAttributes.Contains(attribute))
            {
                failures.Add($"{PersonalizationOptions.SectionName}:Context:Attributes:{attribute}: the name is one of MoEngage's standard attributes.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The DataAnnotations ranges on <see cref="MoEngageOptions"/>, checked without reflection.</summary>
[OptionsValidator]
internal sealed partial class MoEngageOptionsDataValidator : IValidateOptions<MoEngageOptions>;
