using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tracking;
using ServerSidePersonalization.Vendors.MoEngage;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// The rules that span fields (credentials the chosen provider needs, names that must be known, formats), checked at
/// start-up. Each failure names the configuration key to fix.
/// </summary>
internal sealed partial class PersonalizationOptionsValidator(IServiceProvider services) : IValidateOptions<PersonalizationOptions>
{
    private const string Section = PersonalizationOptions.SectionName;

    private static readonly HashSet<string> ReservedAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "customer_id", "visitor_id", "experience_key", "DAY_OF_THE_WEEK", "TIME_OF_THE_DAY", "USER_IP_ADDRESS", "USER_AGENT",
    };

    public ValidateOptionsResult Validate(string? name, PersonalizationOptions options)
    {
        var failures = new List<string>();
        ValidateProvider(options, failures);
        ValidateDynamicYield(options, failures);
        ValidateIdentity(options.Identity, failures);
        ValidateContext(options.Context, failures);
        ValidateCache(options.Cache, failures);
        ValidateClicks(options.Clicks, failures);

        foreach (var key in options.Experiences)
        {
            if (!ExperienceKey.IsValid(key))
            {
                failures.Add($"{Section}:Experiences contains '{key}', which is not 1 to {ExperienceKey.MaxLength} printable characters.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateProvider(PersonalizationOptions options, List<string> failures)
    {
        switch (options.Provider)
        {
            case PersonalizationProvider.Local:
                break;
            case PersonalizationProvider.MoEngage:
                ValidateMoEngage(options.MoEngage, Section + ":Provider is MoEngage", failures);
                break;
            case PersonalizationProvider.DynamicYield:
                failures.Add($"{Section}:Provider DynamicYield is not available in this version; use Local or MoEngage.");
                break;
            default:
                failures.Add($"{Section}:Provider must be Local, MoEngage or DynamicYield.");
                break;
        }

        if (options.Tracking.MoEngage.Enabled == true && options.Provider != PersonalizationProvider.MoEngage)
        {
            ValidateMoEngage(options.MoEngage, Section + ":Tracking:MoEngage:Enabled is true", failures);
        }

        if (options.Tracking.Durable)
        {
            failures.Add($"{Section}:Tracking:Durable is not available in this version; events are queued in memory.");
        }
    }

    private static void ValidateMoEngage(MoEngageOptions moEngage, string because, List<string> failures)
    {
        const string prefix = Section + ":MoEngage:";
        var why = " is required when " + because + ".";
        if (string.IsNullOrWhiteSpace(moEngage.WorkspaceId))
        {
            failures.Add(prefix + "WorkspaceId" + why);
        }

        if (string.IsNullOrWhiteSpace(moEngage.ApiKey))
        {
            failures.Add(prefix + "ApiKey" + why);
        }

        if (!string.IsNullOrWhiteSpace(moEngage.BaseUrl))
        {
            if (!Uri.TryCreate(moEngage.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add(prefix + "BaseUrl must be an absolute http or https URL.");
            }
        }
        else if (string.IsNullOrWhiteSpace(moEngage.DataCenter))
        {
            failures.Add(prefix + "DataCenter (or " + prefix + "BaseUrl)" + why);
        }
        else if (!MoEngageOptions.DataCenters.Contains(moEngage.DataCenter))
        {
            failures.Add($"{prefix}DataCenter must be one of {string.Join(", ", MoEngageOptions.DataCenters)}.");
        }

        if (moEngage.HttpTimeout < moEngage.Timeout)
        {
            failures.Add($"{prefix}HttpTimeout must not be shorter than {prefix}Timeout.");
        }
    }

    private static void ValidateDynamicYield(PersonalizationOptions options, List<string> failures)
    {
        const string prefix = Section + ":DynamicYield:";
        if (options.Tracking.DynamicYield.Enabled == true && string.IsNullOrWhiteSpace(options.DynamicYield.ApiKey))
        {
            failures.Add(prefix + "ApiKey is required when " + Section + ":Tracking:DynamicYield:Enabled is true.");
        }

        if (!Uri.TryCreate(options.DynamicYield.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add(prefix + "BaseUrl must be an absolute http or https URL.");
        }
    }

    private void ValidateCache(CacheOptions cache, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(cache.Redis) && services.GetService<IServiceProviderIsService>()?.IsService(typeof(IL2Store)) != true)
        {
            failures.Add($"{Section}:Cache:Redis is set, but no L2 store is registered: reference ServerSidePersonalization.Redis and call AddServerSidePersonalization().AddRedis().");
        }

        if (cache.FailSafeRetryInterval > cache.FailSafeMaxAge && cache.FailSafeMaxAge > TimeSpan.Zero)
        {
            failures.Add($"{Section}:Cache:FailSafeRetryInterval must not be longer than {Section}:Cache:FailSafeMaxAge.");
        }
    }

    private static void ValidateClicks(ClickOptions clicks, List<string> failures)
    {
        foreach (var host in clicks.AllowedHosts)
        {
            var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
            if (Uri.CheckHostName(name) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
            {
                failures.Add($"{Section}:Clicks:AllowedHosts contains '{host}', which is not a host name (no scheme, port or path; '*.example.com' for subdomains).");
            }
        }
    }

    private static void ValidateIdentity(VisitorIdentityOptions identity, List<string> failures)
    {
        foreach (var source in identity.Order)
        {
            if (!VisitorIdentityOptions.DefaultOrder.Contains(source, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{Section}:Identity:Order contains '{source}'; known sources are {string.Join(", ", VisitorIdentityOptions.DefaultOrder)}.");
            }
        }

        if (identity.CustomerIdHeader is { } header && !HeaderName().IsMatch(header))
        {
            failures.Add($"{Section}:Identity:CustomerIdHeader is not a valid header name.");
        }
    }

    private static void ValidateContext(RequestContextOptions context, List<string> failures)
    {
        foreach (var (attribute, spec) in context.Attributes)
        {
            if (!AttributeName().IsMatch(attribute) || ReservedAttributes.Contains(attribute))
            {
                failures.Add($"{Section}:Context:Attributes:{attribute}: the name must be 1 to 64 letters, digits, '_', '-' or '.', and not a standard attribute.");
            }
            else if (!AttributeSource.TryParse(attribute, spec, out _))
            {
                failures.Add($"{Section}:Context:Attributes:{attribute} must be query:, header:, cookie:, claim: or route: followed by a name.");
            }
        }
    }

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$")]
    private static partial Regex HeaderName();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex AttributeName();
}
