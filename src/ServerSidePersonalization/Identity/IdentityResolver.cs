using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Privacy;

namespace ServerSidePersonalization.Identity;

/// <summary>Resolves the identity of a request once, issuing a visitor cookie to a visitor who has no id.</summary>
internal sealed class IdentityResolver
{
    private readonly IIdentitySource[] _sources;
    private readonly IdentifierValidator _validator;
    private readonly VisitorIdentityOptions _options;
    private readonly TimeProvider _time;
    private readonly VisitorIdGenerator _ids;
    private readonly ILogger<IdentityResolver> _logger;

    public IdentityResolver(
        IOptions<PersonalizationOptions> options,
        IEnumerable<IIdentitySource> sources,
        TimeProvider time,
        VisitorIdGenerator ids,
        ILogger<IdentityResolver> logger)
    {
        _options = options.Value.Identity;
        _time = time;
        _ids = ids;
        _logger = logger;
        _validator = new IdentifierValidator(_options.MaxIdLength);
#pragma warning disable CS0618 // read only to warn that it no longer does anything
        if (_options.HashEmailCustomerIds)
#pragma warning restore CS0618
        {
            Log.HashEmailCustomerIdsIgnored(logger);
        }

        var registered = sources.ToList();
        var byName = registered.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        IEnumerable<string> order = _options.Order.Count > 0
            ? _options.Order
            : VisitorIdentityOptions.DefaultOrder.Concat(registered.Select(s => s.Name)).Distinct(StringComparer.OrdinalIgnoreCase);
        _sources = [.. order.Select(n => byName.TryGetValue(n, out var s)
            ? s
            : throw new InvalidOperationException($"Unknown identity source '{n}' in Personalization:Identity:Order."))];
    }

    public VisitorIdentity Resolve(HttpContext context)
    {
        var collector = new IdentityCollector(_validator);
        foreach (var source in _sources)
        {
            source.Read(context, collector);
        }

        if (collector.Rejected > 0)
        {
            Log.IdsRejected(_logger, collector.Rejected);
        }

        var visitorId = collector.VisitorId;
        var identifiers = collector.Identifiers;
        var isNew = false;
        if (visitorId is null && _options.IssueVisitorCookie)
        {
            if (CanIssueCookie(context))
            {
                visitorId = IssueVisitorCookie(context);
                isNew = true;
                identifiers = new Dictionary<string, string>(identifiers ?? new Dictionary<string, string>(), StringComparer.Ordinal)
                {
                    [_options.VisitorCookie] = visitorId,
                };
            }
            else
            {
                Log.VisitorCookieWithheld(_logger);
            }
        }

        return new VisitorIdentity(collector.CustomerId, visitorId, collector.SessionId, isNew, identifiers);
    }

    private static bool CanIssueCookie(HttpContext context) =>
        !context.Response.HasStarted && RequestPrivacy.AllowsCookies(context);

    private string IssueVisitorCookie(HttpContext context)
    {
        var id = _ids.NewId();
        context.Response.Cookies.Append(_options.VisitorCookie, id, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = _options.VisitorCookieLifetime,
            Expires = _time.GetUtcNow().Add(_options.VisitorCookieLifetime),
            IsEssential = false,
        });
        return id;
    }
}
