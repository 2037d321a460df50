using Microsoft.AspNetCore.Http;

namespace ServerSidePersonalization.Identity;

/// <summary>The customer id from a header set by a trusted proxy; inert unless a header name is configured.</summary>
internal sealed class HeaderIdentitySource(string? headerName) : IIdentitySource
{
    public const string Origin = "header";

    public string Name => IdentitySources.Header;

    public void Read(HttpContext context, IdentityCollector collector)
    {
        if (headerName is null || !context.Request.Headers.TryGetValue(headerName, out var values))
        {
            return;
        }

        // Two values for one id is ambiguous; take neither.
        if (values.Count == 1)
        {
            collector.OfferCustomerId(values[0], Origin);
        }
    }
}
