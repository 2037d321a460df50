using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Http;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>
/// Chooses variations with one <c>POST {base}/v2/serve/user/choose</c> per request for all its keys (selector names).
/// A <c>CUSTOM_JSON</c> variation's <c>data</c> becomes the payload fields, a <c>RECS</c> variation's slots the
/// experience's slots; a choice without a variation (a control group) is no experience. The answer's cookies are
/// handed back to be set on the browser. A brand-new visitor (no Dynamic Yield id yet) never gets two concurrent
/// choose calls: a second call waits for the first answer's ids and uses them. Every vendor problem becomes failed
/// keys and a throttled log line, never an exception.
/// </summary>
internal sealed class DynamicYieldExperienceProvider : IExperienceProvider
{
    public const string HttpClientName = "ServerSidePersonalization.DynamicYield.Choose";
    private const string ChoosePath = "v2/serve/user/choose";
    private const string DefaultPageType = "OTHER";

    private static readonly HashSet<string> KnownCookies = new(StringComparer.Ordinal)
    {
        DynamicYieldIdentity.ServerUserIdCookie, DynamicYieldIdentity.UserIdCookie, DynamicYieldIdentity.SessionCookie,
    };

    private readonly IHttpClientFactory _httpClients;
    private readonly DynamicYieldOptions _options;
    private readonly string _visitorCookie;
    private readonly TimeProvider _time;
    private readonly ILogger<DynamicYieldExperienceProvider> _logger;
    private readonly LogThrottle _configurationErrors;
    private readonly LogThrottle _transientErrors;
    private readonly Uri _endpoint;
    private readonly DynamicYieldNewUsers _newUsers;

    public DynamicYieldExperienceProvider(
        IHttpClientFactory httpClients,
        IOptions<DynamicYieldOptions> options,
        IOptions<PersonalizationOptions> personalization,
        TimeProvider time,
        DynamicYieldNewUsers newUsers,
        ILogger<DynamicYieldExperienceProvider> logger)
    {
        _newUsers = newUsers;
        _httpClients = httpClients;
        _options = options.Value;
        _visitorCookie = personalization.Value.Identity.VisitorCookie;
        _time = time;
        _logger = logger;
        _configurationErrors = new LogThrottle(time, TimeSpan.FromMinutes(1));
        _transientErrors = new LogThrottle(time, TimeSpan.FromSeconds(10));
        _endpoint = new Uri(_options.ResolveBaseUrl(), ChoosePath);
    }

    public string Name => DynamicYieldOptions.Name;

    public async ValueTask<ExperienceFetchResult> FetchAsync(ExperienceRequest request, CancellationToken cancellationToken)
    {
        if (DynamicYieldUsers.For(request.Identity, _options.Mode, _visitorCookie, out _) is { } ids)
        {
            return await ChooseAsync(request, ids, cancellationToken).ConfigureAwait(false);
        }

        if (_options.Mode == DynamicYieldMode.ApiOnly)
        {
            Log.NoUserId(_logger);
            return ExperienceFetchResult.Empty;
        }

        // Web mode without Dynamic Yield's ids: this visitor is new to Dynamic Yield. Keyed by the site's own id, the
        // first call creates the ids and every concurrent or following call of the same visitor reuses them; not for a
        // visitor who may not be tracked, who must never be sent ids the request did not carry.
        if (request.Identity.UserId is not { } siteUser || !request.CanTrack)
        {
            return await ChooseAsync(request, NewUserIds, cancellationToken).ConfigureAwait(false);
        }

        var created = new TaskCompletionSource<DynamicYieldNewUser?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = _newUsers.GetOrAdd(siteUser, created.Task);
        if (pending != created.Task)
        {
            if (await pending.WaitAsync(cancellationToken).ConfigureAwait(false) is { } known && known.ExpiresAt > _time.GetUtcNow())
            {
                var result = await ChooseAsync(request, known.Ids, cancellationToken).ConfigureAwait(false);
                return new ExperienceFetchResult(result.Experiences, result.FailedKeys, [.. known.Cookies, .. result.Cookies]);
            }

            _newUsers.Remove(siteUser, pending);
            return await ChooseAsync(request, NewUserIds, cancellationToken).ConfigureAwait(false);
        }

        DynamicYieldNewUser? learned = null;
        try
        {
            var result = await ChooseAsync(request, NewUserIds, cancellationToken).ConfigureAwait(false);
            learned = Learn(result.Cookies);
            return result;
        }
        finally
        {
            created.SetResult(learned);
            if (learned is null)
            {
                _newUsers.Remove(siteUser, created.Task);
            }
            else
            {
                _newUsers.ForgetLater(siteUser, created.Task);
            }
        }
    }

    private static DynamicYieldIds NewUserIds { get; } = new(new DynamicYieldUser(), null);

    private async Task<ExperienceFetchResult> ChooseAsync(ExperienceRequest request, DynamicYieldIds ids, CancellationToken cancellationToken)
    {
        var keys = request.Keys;
        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = BoundedJson.Content(CreateBody(request, ids), DynamicYieldJsonContext.Default.DynamicYieldChooseRequest),
        };
        message.Headers.TryAddWithoutValidation(DynamicYieldCollector.ApiKeyHeader, _options.ApiKey);
        var client = _httpClients.CreateClient(HttpClientName);
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                ReportError((int)response.StatusCode);
                return ExperienceFetchResult.Failed(keys);
            }

            var answer = await BoundedJson.ReadAsync(
                response.Content, DynamicYieldJsonContext.Default.DynamicYieldChooseResponse, _options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
            return new ExperienceFetchResult(ToExperiences(answer, keys), failedKeys: null, ToCookies(answer));
        }
        catch (Exception ex) when (FetchFailure.From(ex, _options.MaxResponseBytes, cancellationToken) is { } failure)
        {
            LogTransient(failure.Problem, failure.Detail);
        }

        return ExperienceFetchResult.Failed(keys);
    }

    private DynamicYieldChooseRequest CreateBody(ExperienceRequest request, DynamicYieldIds ids)
    {
        var page = request.Page;
        var attributes = request.Attributes;
        return new DynamicYieldChooseRequest(
            ids.User,
            ids.Session ?? new DynamicYieldSession(),
            new DynamicYieldSelector(request.Keys),
            new DynamicYieldContext(
                new DynamicYieldPage(
                    page.Type ?? DefaultPageType,
                    page.Location ?? "/",
                    page.Referrer,
                    page.Data.Count == 0 ? null : page.Data,
                    page.Locale),
                attributes.UserAgent is null && attributes.IpAddress is null ? null : new DynamicYieldDevice(attributes.UserAgent, attributes.IpAddress)),
            _options.ImpressionMode == DynamicYieldImpressionMode.Rendered ? new DynamicYieldChooseOptions(IsImplicitImpressionMode: false) : null);
    }

    private static Dictionary<string, Experience> ToExperiences(DynamicYieldChooseResponse? answer, IReadOnlyList<string> keys)
    {
        var experiences = new Dictionary<string, Experience>(StringComparer.Ordinal);
        foreach (var choice in answer?.Choices ?? [])
        {
            if (choice?.Name is not { } key || !keys.Contains(key, StringComparer.Ordinal) || string.IsNullOrEmpty(choice.DecisionId))
            {
                continue;
            }

            // A control group (no variation) is "no experience": the page shows its fallback.
            if (choice.Variations?.FirstOrDefault(v => v is not null) is not { } variation)
            {
                continue;
            }

            var payload = new Dictionary<string, ExperienceValue>(StringComparer.OrdinalIgnoreCase);
            List<ExperienceSlot>? slots = null;
            var data = variation.Payload?.Data ?? default;
            if (string.Equals(variation.Payload?.Type, "RECS", StringComparison.OrdinalIgnoreCase))
            {
                slots = Slots(data);
                data = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("custom", out var custom) ? custom : default;
            }

            if (data.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in data.EnumerateObject())
                {
                    payload[field.Name] = new ExperienceValue(field.Value.Clone(), ExperienceValue.Infer(field.Value));
                }
            }

            var variationId = Number(variation.Id) is { } id ? DynamicYieldVariationIds.Format([id]) : null;
            experiences[key] = new Experience(key, payload, new ExperienceAttribution(DynamicYieldOptions.Name, default, variationId, choice.DecisionId), slots);
        }

        return experiences;
    }

    private static List<ExperienceSlot>? Slots(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("slots", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var slots = new List<ExperienceSlot>();
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object
                && item.TryGetProperty("slotId", out var slotId) && slotId.ValueKind == JsonValueKind.String && ExperienceValue.Text(slotId) is { Length: > 0 } id)
            {
                var sku = item.TryGetProperty("sku", out var s) && s.ValueKind == JsonValueKind.String ? ExperienceValue.Text(s) : null;
                var product = item.TryGetProperty("productData", out var p) && p.ValueKind == JsonValueKind.Object ? p.Clone() : default;
                slots.Add(new ExperienceSlot(id, sku, product));
            }
        }

        return slots;
    }

    /// <summary>Dynamic Yield's own cookies from the answer, checked, with a lifetime of at most 400 days.</summary>
    private static List<ResponseCookie>? ToCookies(DynamicYieldChooseResponse? answer)
    {
        List<ResponseCookie>? cookies = null;
        foreach (var cookie in answer?.Cookies ?? [])
        {
            if (cookie is { Name: { } name, Value: { Length: > 0 and <= 256 } value }
                && KnownCookies.Contains(name)
                && !value.AsSpan().ContainsAnyExcept(CookieValueCharacters)
                && Number(cookie.MaxAge) is { } seconds and > 0)
            {
                (cookies ??= []).Add(new ResponseCookie(name, value, TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(400).TotalSeconds))));
            }
        }

        return cookies;
    }

    private static readonly System.Buffers.SearchValues<char> CookieValueCharacters =
        System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_.");

    private static long? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(ExperienceValue.Text(value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    /// <summary>The ids a new visitor's first answer created, and the cookies that carry them.</summary>
    private DynamicYieldNewUser? Learn(IReadOnlyList<ResponseCookie> cookies)
    {
        var user = cookies.FirstOrDefault(c => c.Name == DynamicYieldIdentity.ServerUserIdCookie) ?? cookies.FirstOrDefault(c => c.Name == DynamicYieldIdentity.UserIdCookie);
        if (user is null)
        {
            return null;
        }

        var session = cookies.FirstOrDefault(c => c.Name == DynamicYieldIdentity.SessionCookie);
        var ids = new DynamicYieldIds(
            new DynamicYieldUser { Dyid = user.Value, DyidServer = user.Value },
            session is null ? null : new DynamicYieldSession { Dy = session.Value });
        return new DynamicYieldNewUser(ids, cookies, _time.GetUtcNow() + DynamicYieldNewUsers.Lifetime);
    }

    private void ReportError(int status)
    {
        if (status is 401 or 403 or 451)
        {
            if (_configurationErrors.ShouldLog(out var suppressed))
            {
                Log.ConfigurationError(_logger, status, suppressed);
            }

            return;
        }

        LogTransient($"HTTP {status}", null);
    }

    private void LogTransient(string problem, string? detail)
    {
        if (_transientErrors.ShouldLog(out var suppressed))
        {
            Log.ChooseFailed(_logger, problem, detail, suppressed);
        }
    }
}
