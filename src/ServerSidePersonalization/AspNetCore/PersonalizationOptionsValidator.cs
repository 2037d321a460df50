using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Privacy;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// The rules that span fields (credentials the chosen provider needs, names that must be known, formats), checked at
/// start-up. Each failure names the configuration key to fix.
/// </summary>
internal sealed partial class PersonalizationOptionsValidator(IServiceProvider services) : IValidateOptions<PersonalizationOptions>
{
    private const string Section = PersonalizationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, PersonalizationOptions options)
    {
        var failures = new List<string>();
        ValidateProvider(options, failures);
        ValidateIdentity(options.Identity, failures);
        ValidateContext(options.Context, failures);
        ValidateCache(options.Cache, failures);
        ValidateClicks(options.Clicks, failures);
        ValidatePrivacy(options.Privacy, failures);
        ValidateBacklogWarning(options.Tracking, failures);

        foreach (var key in options.Experiences)
        {
            if (!ExperienceKey.IsValid(key))
            {
                failures.Add($"{Section}:Experiences contains '{key}', which is not 1 to {ExperienceKey.MaxLength} printable characters.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The provider must be one a module registered; durable tracking needs a package that offers an outbox, configured.</summary>
    private void ValidateProvider(PersonalizationOptions options, List<string> failures)
    {
        var registered = services.GetServices<ProviderRegistration>().Select(r => r.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (!registered.Any(options.IsProvider))
        {
            failures.Add($"{Section}:Provider '{options.Provider}' is not a registered provider; registered providers are {string.Join(", ", registered)}.");
        }

        if (options.Tracking.Durable && services.GetService<TrackingOutboxFactory>()?.IsConfigured(services, options) != true)
        {
            failures.Add($"{Section}:Tracking:Durable is true, but Redis is not configured: set {Section}:Cache:Redis to a connection string and call AddServerSidePersonalization().AddRedis(), or set {Section}:Tracking:Durable to false.");
        }
    }

    /// <summary>A warning above the capacity could never fire: the queue drops events before it gets there.</summary>
    private static void ValidateBacklogWarning(TrackingOptions tracking, List<string> failures)
    {
        if (tracking.BacklogWarning > tracking.QueueCapacity)
        {
            failures.Add($"{Section}:Tracking:BacklogWarning ({tracking.BacklogWarning}) must not be above {Section}:Tracking:QueueCapacity ({tracking.QueueCapacity}).");
        }
    }

    /// <summary>A marker too short would match ordinary browsers (every user agent holds "Mozilla").</summary>
    private static void ValidatePrivacy(PrivacyOptions privacy, List<string> failures)
    {
        foreach (var marker in privacy.BotUserAgents)
        {
            if (string.IsNullOrWhiteSpace(marker) || marker.Trim().Length < PrivacyOptions.MinMarkerLength)
            {
                failures.Add($"{Section}:Privacy:BotUserAgents contains '{marker}', which is shorter than {PrivacyOptions.MinMarkerLength} characters.");
            }
        }
    }

    private void ValidateCache(CacheOptions cache, List<string> failures)
    {
        var registered = services.GetService<IServiceProviderIsService>();
        if (!string.IsNullOrWhiteSpace(cache.Redis) && registered?.IsService(typeof(IL2Store)) != true && registered?.IsService(typeof(L2StoreFactory)) != true)
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

    private void ValidateIdentity(VisitorIdentityOptions identity, List<string> failures)
    {
        var known = services.GetServices<IdentitySourceName>().Select(s => s.Name).ToList();
        foreach (var source in identity.Order)
        {
            if (!known.Contains(source, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{Section}:Identity:Order contains '{source}'; known sources are {string.Join(", ", known)}.");
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
            if (!AttributeName().IsMatch(attribute))
            {
                failures.Add($"{Section}:Context:Attributes:{attribute}: the name must be 1 to 64 letters, digits, '_', '-' or '.'.");
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
