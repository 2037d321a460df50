using Microsoft.AspNetCore.Http;

namespace ServerSidePersonalization.Context;

/// <summary>Where one custom attribute's value is read from, parsed from <c>kind:name</c>.</summary>
internal readonly record struct AttributeSource(string Attribute, AttributeSourceKind Kind, string Name)
{
    public static bool TryParse(string attribute, string? spec, out AttributeSource source)
    {
        source = default;
        var colon = spec?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (spec is null || colon <= 0)
        {
            return false;
        }

        AttributeSourceKind? kind = spec[..colon].Trim().ToLowerInvariant() switch
        {
            "query" => AttributeSourceKind.Query,
            "header" => AttributeSourceKind.Header,
            "cookie" => AttributeSourceKind.Cookie,
            "claim" => AttributeSourceKind.Claim,
            "route" => AttributeSourceKind.Route,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        var name = spec[(colon + 1)..].Trim();
        if (name.Length == 0)
        {
            return false;
        }

        source = new AttributeSource(attribute, kind.Value, name);
        return true;
    }

    public string? Read(HttpContext context)
    {
        var request = context.Request;
        return Kind switch
        {
            AttributeSourceKind.Query => request.Query.TryGetValue(Name, out var q) ? q.ToString() : null,
            AttributeSourceKind.Header => request.Headers.TryGetValue(Name, out var h) ? h.ToString() : null,
            AttributeSourceKind.Cookie => request.Cookies[Name],
            AttributeSourceKind.Claim => context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst(Name)?.Value : null,
            AttributeSourceKind.Route => request.RouteValues.TryGetValue(Name, out var r) ? Convert.ToString(r, System.Globalization.CultureInfo.InvariantCulture) : null,
            _ => null,
        };
    }
}

internal enum AttributeSourceKind
{
    Query,
    Header,
    Cookie,
    Claim,
    Route,
}
