using System.Security.Claims;
using Microsoft.AspNetCore.Builder;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// Stands in for the site's authentication: a request with <c>X-Test-Claim-{type}</c> headers is signed in with those
/// claims (type names: <c>nameid</c> for NameIdentifier, anything else verbatim).
/// </summary>
internal static class TestUser
{
    public const string HeaderPrefix = "X-Test-Claim-";

    public static void UseTestUser(this WebApplication app) => app.Use((context, next) =>
    {
        var claims = context.Request.Headers
            .Where(h => h.Key.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase))
            .Select(h => new Claim(h.Key[HeaderPrefix.Length..] is var type && type == "nameid" ? ClaimTypes.NameIdentifier : type, h.Value.ToString()))
            .ToList();
        if (claims.Count > 0)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
        }

        return next(context);
    });
}
