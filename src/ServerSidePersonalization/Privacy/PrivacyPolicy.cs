using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Diagnostics;

namespace ServerSidePersonalization.Privacy;

/// <summary>Makes each request's <see cref="RequestPrivacy"/> decision and counts the requests it excludes.</summary>
internal sealed class PrivacyPolicy(
    IOptions<PersonalizationOptions> options, BotUserAgents bots, PersonalizationMetrics metrics, ILogger<PrivacyPolicy> logger)
{
    private const string GpcHeader = "Sec-GPC";

    private readonly PrivacyOptions _options = options.Value.Privacy;

    /// <summary>
    /// Decides for <paramref name="context"/>. A bot comes first (it gets the least: no fetch at all), then consent, then
    /// Global Privacy Control.
    /// </summary>
    public RequestPrivacy Decide(HttpContext context)
    {
        var exclusion = Exclusion(context);
        if (exclusion == PrivacyExclusion.None)
        {
            return RequestPrivacy.Allowed;
        }

        var reason = RequestPrivacy.ReasonOf(exclusion)!;
        metrics.RequestExcluded(reason);
        Log.RequestExcluded(logger, reason);
        return new RequestPrivacy(exclusion, _options.PersonalizeWithoutConsent);
    }

    private PrivacyExclusion Exclusion(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (bots.IsBot(headers.UserAgent.Count == 1 ? headers.UserAgent[0] : headers.UserAgent.ToString()))
        {
            return PrivacyExclusion.Bot;
        }

        if (context.Features.Get<ITrackingConsentFeature>()?.CanTrack == false)
        {
            return PrivacyExclusion.Consent;
        }

        // The specification's only value is "1"; anything else is no signal.
        return _options.HonorGlobalPrivacyControl && headers[GpcHeader] is { Count: 1 } gpc && gpc[0]?.Trim() == "1"
            ? PrivacyExclusion.Gpc
            : PrivacyExclusion.None;
    }
}
