using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;

namespace ServerSidePersonalization.Benchmarks.Comparison;

/// <summary>What a site writes without a library: one call to the vendor per page view, nothing cached, nothing shared.</summary>
internal sealed class NaiveVendorClient(HttpClient http)
{
    public async Task<string> TitleAsync(HttpContext context)
    {
        var visitor = context.Request.Cookies[Visitors.CookieName] ?? "anonymous";
        var answer = await http.GetFromJsonAsync(
            new Uri($"hero?visitor={Uri.EscapeDataString(visitor)}", UriKind.Relative), BenchJsonContext.Default.HeroAnswer, context.RequestAborted);
        return answer?.Title ?? "fallback";
    }
}
