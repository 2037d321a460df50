using Microsoft.AspNetCore.Http;
using ServerSidePersonalization.AspNetCore.Clicks;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Privacy;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// The per-request state: one fetch task per key (keys started together share a task; the source bounds each by the
/// provider's request-path budget) and the experiences tracked as shown. The request's privacy decision gates all of it:
/// no fetch where none may be made, no event where the visitor may not be tracked.
/// </summary>
internal sealed class PersonalizationFeature(
    HttpContext context,
    VisitorIdentity identity,
    RequestAttributes attributes,
    RequestPrivacy privacy,
    PersonalizationServices services) : IPersonalizationFeature
{
    private readonly Dictionary<string, Task<ExperienceFetchResult>> _fetches = new(StringComparer.Ordinal);
    private List<Experience>? _rendered;
    private bool _declaredStarted;
    private bool _cookiesHooked;
    private bool _personalized;
    private PageContext? _page;
    private RequestAttributes? _providerAttributes;
    private List<Task>? _writes;

    /// <summary>
    /// Decides whether the request may be tracked, then resolves its identity (whose sources read that decision from
    /// the request's features before issuing any cookie) and attributes, and makes its feature.
    /// </summary>
    internal static PersonalizationFeature Create(HttpContext context, PersonalizationServices services)
    {
        var privacy = services.Privacy.Decide(context);
        context.Features.Set(privacy);
        var previews = services.Previews.Read(context);
        if (previews is not null)
        {
            // Registered first, so it runs last: no cache anywhere keeps a QA preview, whatever the app or Mark set.
            context.Response.OnStarting(static state =>
            {
                ((HttpResponse)state).Headers.CacheControl = "private, no-store";
                return Task.CompletedTask;
            }, context.Response);
        }

        return new(context, services.Identity.Resolve(context), services.Attributes.Resolve(context), privacy, services)
        {
            Previews = previews,
            Origins = services.Debug.Enabled ? new ExperienceOrigins() : null,
        };
    }

    /// <summary>
    /// The variations a QA preview link asks for, by key; null for an ordinary request. A preview request reports no
    /// event and neither reads nor writes the visitor's cache entries.
    /// </summary>
    internal Dictionary<string, string>? Previews { get; private init; }

    /// <summary>Where each experience of this request came from; recorded only while the debug page is on.</summary>
    internal ExperienceOrigins? Origins { get; private init; }

    /// <summary>Whether events may be reported: the privacy decision allows it and this is no QA preview.</summary>
    private bool Tracks => privacy.CanTrack && Previews is null;

    public VisitorIdentity Identity => identity;

    public RequestAttributes Attributes => attributes;

    public bool CanTrack => Tracks;

    public string? ExcludedReason => privacy.Reason ?? (Previews is null ? null : "preview");

    public IReadOnlyList<Experience> RenderedExperiences
    {
        get
        {
            lock (_fetches)
            {
                return _rendered is null ? [] : [.. _rendered];
            }
        }
    }

    public async ValueTask<Experience?> GetExperienceAsync(string key, CancellationToken cancellationToken = default)
    {
        ExperienceKey.Validate(key);
        if (!privacy.CanFetch)
        {
            return null;
        }

        Task<ExperienceFetchResult>? fetch;
        lock (_fetches)
        {
            if (!_fetches.TryGetValue(key, out fetch))
            {
                // The first undeclared read also takes whatever was declared but not started yet (no endpoint was
                // known when the middleware ran), so those still travel in one call.
                var keys = _declaredStarted ? [key] : DeclaredKeys().Append(key);
                _declaredStarted = true;
                StartLocked(keys);
                fetch = _fetches[key];
            }
        }

        var result = await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        return result.Experiences.GetValueOrDefault(key);
    }

    public void Prefetch(params IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var valid = keys.Select(k => ExperienceKey.Validate(k, nameof(keys)));
        if (!privacy.CanFetch)
        {
            _ = valid.Count();
            return;
        }

        lock (_fetches)
        {
            StartLocked(valid);
        }
    }

    public void TrackImpression(Experience experience)
    {
        ArgumentNullException.ThrowIfNull(experience);
        lock (_fetches)
        {
            _rendered ??= [];
            foreach (var rendered in _rendered)
            {
                if (rendered.Key == experience.Key)
                {
                    return;
                }
            }

            _rendered.Add(experience);
        }
    }

    public void TrackClick(Experience experience, string? elementId = null, string? slotId = null, string? action = null)
    {
        ArgumentNullException.ThrowIfNull(experience);
        if (action is not null && !ClickAction.IsValid(action))
        {
            throw new ArgumentException("action must be 1 to 64 letters, digits, '_', '-' or '.'.", nameof(action));
        }

        TrackClick(experience.Key, experience.Attribution, elementId, slotId, action, services.ReportedFields.From(experience));
    }

    public void TrackConversion(IConversionEvent conversion)
    {
        ArgumentNullException.ThrowIfNull(conversion);
        if (!Tracks)
        {
            return;
        }

        Track(new TrackingEvent(conversion, identity, services.Time.GetUtcNow(), attributes));
    }

    /// <summary>Reports a click known only by its key and attribution (the click endpoint has no <see cref="Experience"/>).</summary>
    internal void TrackClick(
        string experienceKey,
        ExperienceAttribution attribution,
        string? elementId,
        string? slotId,
        string? action,
        IReadOnlyDictionary<string, string>? fields)
    {
        if (Tracks)
        {
            Track(CreateEvent(TrackingEventKind.Click, experienceKey, attribution, elementId, slotId, action, fields));
        }
    }

    /// <summary>Reports one impression per experience tracked as shown; called by the middleware after the endpoint.</summary>
    internal void ReportImpressions()
    {
        if (!Tracks)
        {
            return;
        }

        foreach (var experience in RenderedExperiences)
        {
            Track(CreateEvent(
                TrackingEventKind.Impression, experience.Key, experience.Attribution, null, null, null, services.ReportedFields.From(experience)));
        }
    }

    /// <summary>
    /// Completes when every event this request tracked is written to the durable outbox (or, failing that within the
    /// append timeout, queued in memory); at once when tracking is in memory. Never faults.
    /// </summary>
    internal Task TrackedAsync()
    {
        lock (_fetches)
        {
            return _writes is null ? Task.CompletedTask : Task.WhenAll(_writes);
        }
    }

    private void Track(TrackingEvent trackingEvent)
    {
        var written = services.Tracking.EnqueueAsync(trackingEvent);
        if (!written.IsCompleted)
        {
            lock (_fetches)
            {
                (_writes ??= []).Add(written);
            }
        }
    }

    private TrackingEvent CreateEvent(
        TrackingEventKind kind,
        string experienceKey,
        ExperienceAttribution attribution,
        string? elementId,
        string? slotId,
        string? action,
        IReadOnlyDictionary<string, string>? fields) =>
        new(kind, experienceKey, attribution, identity, services.Time.GetUtcNow(), elementId, slotId, attributes, action: action, fields: fields);

    /// <summary>Starts the keys the endpoint declares; called by the middleware once the endpoint is known.</summary>
    internal void StartDeclared()
    {
        if (context.GetEndpoint() is null || !privacy.CanFetch)
        {
            return;
        }

        lock (_fetches)
        {
            _declaredStarted = true;
            StartLocked(DeclaredKeys());
        }
    }

    private IEnumerable<string> DeclaredKeys() => services.Declared.For(context.GetEndpoint());

    private Task<ExperienceFetchResult>? StartLocked(IEnumerable<string> keys)
    {
        // The first start of an ordinary request with the declared keys (an array, distinct by construction) takes them
        // as they are; anything else is filtered, and a preview request's list loses the keys its previews answer.
        IReadOnlyList<string>? missing;
        if (Previews is null)
        {
            missing = _fetches.Count == 0 && keys is string[] { Length: > 0 } declared ? declared : Missing(keys);
        }
        else
        {
            var remaining = Missing(keys);
            missing = remaining is null || StartPreviewsLocked(remaining) == 0 ? null : remaining;
        }

        if (missing is null)
        {
            return null;
        }

        _page ??= PageContextReader.Read(context);
        _providerAttributes ??= services.Attributes.ForProviders(attributes);
        var fetch = services.Source.GetAsync(new ExperienceRequest(identity, missing, _providerAttributes, _page) { CanTrack = Tracks, BypassCache = Previews is not null, Origins = Origins }, CancellationToken.None);
        if (!_personalized)
        {
            _personalized = true;
            PersonalizedResponse.Mark(context, identity);
        }

        if (!_cookiesHooked && !context.Response.HasStarted)
        {
            _cookiesHooked = true;
            context.Response.OnStarting(static state => ((PersonalizationFeature)state).SetProviderCookies(), this);
        }

        for (var i = 0; i < missing.Count; i++)
        {
            _fetches[missing[i]] = fetch;
        }

        return fetch;
    }

    /// <summary>The keys of <paramref name="keys"/> not started yet, each once; null when there are none.</summary>
    private List<string>? Missing(IEnumerable<string> keys)
    {
        List<string>? missing = null;
        foreach (var key in keys)
        {
            if (!_fetches.ContainsKey(key) && (missing is null || !missing.Contains(key, StringComparer.Ordinal)))
            {
                (missing ??= []).Add(key);
            }
        }

        return missing;
    }

    /// <summary>
    /// Answers the keys a preview names with the chosen variation, when their provider can serve one, and takes them out
    /// of <paramref name="missing"/>; returns how many keys are left for the provider.
    /// </summary>
    private int StartPreviewsLocked(List<string> missing)
    {
        for (var i = missing.Count - 1; i >= 0; i--)
        {
            var key = missing[i];
            if (Previews!.TryGetValue(key, out var variation) && services.Previews.Find(key, variation) is { } experience)
            {
                _fetches[key] = Task.FromResult(new ExperienceFetchResult(new Dictionary<string, Experience>(StringComparer.Ordinal) { [key] = experience }));
                Origins?.Record(key, ExperienceOrigin.Preview);
                missing.RemoveAt(i);
            }
        }

        return missing.Count;
    }

    /// <summary>
    /// Sets the cookies the providers asked for (a vendor's new user and session ids) as the response starts, from
    /// every fetch that has answered by then; not for a request that may not be tracked.
    /// </summary>
    private Task SetProviderCookies()
    {
        if (!Tracks)
        {
            return Task.CompletedTask;
        }

        List<Task<ExperienceFetchResult>> fetches;
        lock (_fetches)
        {
            fetches = [.. _fetches.Values.Distinct()];
        }

        var cookies = context.Response.Cookies;
        foreach (var fetch in fetches)
        {
            if (!fetch.IsCompletedSuccessfully)
            {
                continue;
            }

            foreach (var cookie in fetch.Result.Cookies)
            {
                cookies.Append(cookie.Name, cookie.Value, new CookieOptions
                {
                    HttpOnly = true,
                    Secure = context.Request.IsHttps,
                    SameSite = SameSiteMode.Lax,
                    Path = "/",
                    MaxAge = cookie.MaxAge,
                    IsEssential = false,
                });
            }
        }

        return Task.CompletedTask;
    }
}
