using Microsoft.AspNetCore.Http;
using Microsoft.FeatureManagement.FeatureFilters;
using ServerSidePersonalization.AspNetCore;

namespace ServerSidePersonalization.FeatureManagement;

/// <summary>
/// The request's visitor as Feature Management's targeting user (its personalization user id, no groups): variant
/// assignment needs a targeting context, and without one Feature Management logs a warning on every evaluation.
/// </summary>
internal sealed class VisitorTargetingContextAccessor(IHttpContextAccessor accessor) : ITargetingContextAccessor
{
    public ValueTask<TargetingContext?> GetContextAsync() =>
        ValueTask.FromResult(accessor.HttpContext?.Features.Get<IPersonalizationFeature>() is { } personalization
            ? new TargetingContext { UserId = personalization.Identity.UserId, Groups = [] }
            : null);
}
