using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Http;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Vendors.MoEngage;

/// <summary>
/// Fetches experiences from <c>POST {base}/v1/experiences/fetch</c>, at most 25 keys per call (more keys are split
/// over concurrent calls), for the visitor's <see cref="MoEngageUser"/>. Every vendor problem becomes failed keys and a
/// throttled log line, never an exception.
/// </summary>
internal sealed class MoEngageExperienceProvider : IExperienceProvider
{
    public const int MaxKeysPerCall = 25;
    private const string FetchPath = "v1/experiences/fetch";

    private readonly IHttpClientFactory _httpClients;
    private readonly MoEngageConnection _connection;
    private readonly MoEngageOptions _options;
    private readonly string _visitorCookie;
    private readonly ILogger<MoEngageExperienceProvider> _logger;
    private readonly LogThrottle _configurationErrors;
    private readonly LogThrottle _transientErrors;

    public MoEngageExperienceProvider(
        IHttpClientFactory httpClients,
        IOptions<MoEngageOptions> options,
        IOptions<PersonalizationOptions> personalization,
        TimeProvider time,
        ILogger<MoEngageExperienceProvider> logger)
    {
        _httpClients = httpClients;
        _options = options.Value;
        _visitorCookie = personalization.Value.Identity.VisitorCookie;
        _connection = new MoEngageConnection(_options);
        _logger = logger;
        _configurationErrors = new LogThrottle(time, TimeSpan.FromMinutes(1));
        _transientErrors = new LogThrottle(time, TimeSpan.FromSeconds(10));
    }

    public string Name => MoEngageOptions.Name;

    public async ValueTask<ExperienceFetchResult> FetchAsync(ExperienceRequest request, CancellationToken cancellationToken)
    {
        if (User(request.Identity) is not { } user)
        {
            // An anonymous visitor the site does not send: no call, the pages render their fallbacks.
            return ExperienceFetchResult.Empty;
        }

        if (request.Keys.Count <= MaxKeysPerCall)
        {
            return await FetchChunkAsync(request, user, request.Keys, cancellationToken).ConfigureAwait(false);
        }

        var chunks = request.Keys.Chunk(MaxKeysPerCall).Select(keys => FetchChunkAsync(request, user, keys, cancellationToken));
        return ExperienceFetchResult.Merge(await Task.WhenAll(chunks).ConfigureAwait(false));
    }

    /// <summary>The visitor's entries are keyed by the id MoEngage is sent, whatever the identity order made <see cref="VisitorIdentity.UserId"/>.</summary>
    public string? CacheUserId(VisitorIdentity identity) => User(identity)?.Id;

    private MoEngageUser? User(VisitorIdentity identity) => MoEngageUser.For(identity, _options, _visitorCookie);

    private async Task<ExperienceFetchResult> FetchChunkAsync(
        ExperienceRequest request, MoEngageUser user, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var body = BoundedJson.Content(CreateBody(request, user, keys), MoEngageJsonContext.Default.MoEngageFetchRequest);
        using var message = _connection.CreateRequest(FetchPath, body);
        var client = _httpClients.CreateClient(MoEngageConnection.HttpClientName);
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await ReportErrorAsync(response, cancellationToken).ConfigureAwait(false);
                return ExperienceFetchResult.Failed(keys);
            }

            var answer = await BoundedJson.ReadAsync(
                response.Content, MoEngageJsonContext.Default.MoEngageFetchResponse, _options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
            return new ExperienceFetchResult(ToExperiences(answer, keys));
        }
        catch (Exception ex) when (FetchFailure.From(ex, _options.MaxResponseBytes, cancellationToken) is { } failure)
        {
            LogTransient(failure.Problem, failure.Detail);
        }

        return ExperienceFetchResult.Failed(keys);
    }

    /// <summary>
    /// One id, in the field the document gives it: <c>customer_id</c> for a customer or the site's visitor id,
    /// <c>visitor_id</c> alone for MoEngage's device id (<c>customer_id</c> is not mandatory in a fetch).
    /// </summary>
    private static MoEngageFetchRequest CreateBody(ExperienceRequest request, MoEngageUser user, IReadOnlyList<string> keys) => new()
    {
        CustomerId = user.FetchCustomerId,
        VisitorId = user.FetchVisitorId,
        ExperienceKey = keys,
        Attributes = CreateAttributes(request.Attributes),
    };

    private static Dictionary<string, object>? CreateAttributes(RequestAttributes attributes)
    {
        var result = new Dictionary<string, object>(4 + attributes.Custom.Count, StringComparer.Ordinal);
        foreach (var (name, value) in attributes.Custom)
        {
            result[name] = value;
        }

        // The standard attributes come last so a custom attribute cannot override them.
        if (attributes.DayOfWeek is { } day)
        {
            result["DAY_OF_THE_WEEK"] = day.ToString();
        }

        if (attributes.HourOfDay is { } hour)
        {
            result["TIME_OF_THE_DAY"] = hour.ToString("00", CultureInfo.InvariantCulture);
        }

        if (attributes.IpAddress is { } ip)
        {
            result["USER_IP_ADDRESS"] = ip;
        }

        if (attributes.UserAgent is { } userAgent)
        {
            result["USER_AGENT"] = userAgent;
        }

        return result.Count == 0 ? null : result;
    }

    private static Dictionary<string, Experience> ToExperiences(MoEngageFetchResponse? answer, IReadOnlyList<string> keys)
    {
        var experiences = new Dictionary<string, Experience>(StringComparer.Ordinal);
        if (answer?.Experiences is not { } found)
        {
            return experiences;
        }

        foreach (var key in keys)
        {
            if (found.GetValueOrDefault(key) is not { } experience)
            {
                continue;
            }

            var payload = new Dictionary<string, ExperienceValue>(StringComparer.OrdinalIgnoreCase);
            foreach (var (field, value) in experience.Payload ?? [])
            {
                if (value is not null)
                {
                    payload[field] = new ExperienceValue(value.Value, ExperienceValue.ParseDataType(value.DataType, value.Value));
                }
            }

            var context = experience.ExperienceContext;
            var variation = context.ValueKind == JsonValueKind.Object && context.TryGetProperty("moe_variation_id", out var v)
                ? (v.ValueKind == JsonValueKind.String ? ExperienceValue.Text(v) : v.GetRawText())
                : null;
            experiences[key] = new Experience(key, payload, new ExperienceAttribution(MoEngageIdentity.Vendor, context, variation));
        }

        return experiences;
    }

    private async Task ReportErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is 400 or 401 or 403)
        {
            if (_configurationErrors.ShouldLog(out var suppressed))
            {
                var title = await ReadErrorTitleAsync(response, cancellationToken).ConfigureAwait(false);
                Log.ConfigurationError(_logger, status, title, suppressed);
            }

            return;
        }

        var detail = status == 429 && response.Headers.TryGetValues("x-ratelimit-reset", out var reset) ? $"rate limited, reset {reset.First()}" : null;
        LogTransient($"HTTP {status}", detail);
    }

    private static async Task<string?> ReadErrorTitleAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await BoundedJson.ReadAsync(response.Content, MoEngageJsonContext.Default.MoEngageError, 16 * 1024, cancellationToken)
                .ConfigureAwait(false);
            return error?.Title is { } title && title.Length > 200 ? title[..200] : error?.Title;
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException)
        {
            return null;
        }
    }

    private void LogTransient(string problem, string? detail)
    {
        if (_transientErrors.ShouldLog(out var suppressed))
        {
            Log.FetchFailed(_logger, problem, detail, suppressed);
        }
    }
}
