using Microsoft.AspNetCore.Http;

namespace ServerSidePersonalization.Identity;

/// <summary>The customer id from the signed-in user's claims.</summary>
internal sealed class ClaimsIdentitySource(IReadOnlyList<string> claimTypes) : IIdentitySource
{
    public const string Origin = "claim";

    public string Name => IdentitySources.Claims;

    public void Read(HttpContext context, IdentityCollector collector)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        foreach (var type in claimTypes)
        {
            if (context.User.FindFirst(type)?.Value is { Length: > 0 } value)
            {
                collector.OfferCustomerId(value, Origin);
                return;
            }
        }
    }
}
