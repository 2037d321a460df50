using Microsoft.AspNetCore.Http;
using Microsoft.FeatureManagement.FeatureFilters;

namespace ServerSidePersonalization.Benchmarks.Comparison;

/// <summary>Microsoft.FeatureManagement's targeting, from the same visitor cookie the library reads.</summary>
internal sealed class CookieTargetingContextAccessor(IHttpContextAccessor accessor) : ITargetingContextAccessor
{
    public ValueTask<TargetingContext> GetContextAsync() =>
        ValueTask.FromResult(new TargetingContext { UserId = accessor.HttpContext?.Request.Cookies[Visitors.CookieName] });
}
