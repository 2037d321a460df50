using Microsoft.Extensions.Options;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>
/// Dynamic Yield's start-up rules, checked only when Dynamic Yield is used (the provider, selectors routed to it, or
/// its engagement switched on): the API key, the host, the timeouts and the selector names.
/// </summary>
internal sealed class DynamicYieldOptionsValidator(
    IOptions<PersonalizationOptions> personalization, IOptionsMonitor<TrackingDestinationOptions> destinations)
    : IValidateOptions<DynamicYieldOptions>
{
    private const string Prefix = PersonalizationOptions.SectionName + ":" + DynamicYieldOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, DynamicYieldOptions options)
    {
        var because = personalization.Value.IsProvider(DynamicYieldOptions.Name) ? PersonalizationOptions.SectionName + ":Provider is DynamicYield"
            : options.Selectors.Count > 0 ? Prefix + "Selectors is set"
            : destinations.Get(DynamicYieldOptions.Name).Enabled == true ? PersonalizationOptions.SectionName + ":Tracking:DynamicYield:Enabled is true"
            : null;
        if (because is null)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add(Prefix + "ApiKey is required when " + because + ".");
        }

        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add(Prefix + "BaseUrl must be an absolute http or https URL.");
        }

        if (options.HttpTimeout < options.Timeout)
        {
            failures.Add($"{Prefix}HttpTimeout must not be shorter than {Prefix}Timeout.");
        }

        foreach (var selector in options.Selectors)
        {
            if (!ExperienceKey.IsValid(selector))
            {
                failures.Add($"{Prefix}Selectors contains '{selector}', which is not 1 to {ExperienceKey.MaxLength} printable characters.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The DataAnnotations ranges on <see cref="DynamicYieldOptions"/>, checked without reflection.</summary>
[OptionsValidator]
internal sealed partial class DynamicYieldOptionsDataValidator : IValidateOptions<DynamicYieldOptions>;
