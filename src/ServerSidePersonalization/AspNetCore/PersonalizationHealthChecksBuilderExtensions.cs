using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ServerSidePersonalization.Diagnostics;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the personalization health check.</summary>
public static class PersonalizationHealthChecksBuilderExtensions
{
    /// <summary>The name the check is registered under unless another is given.</summary>
    public const string DefaultName = "personalization";

    /// <summary>
    /// Adds a check that reports Degraded while a provider's circuit breaker is open, the L2 cache is unreachable, a
    /// tracking destination is paused or its backlog is above <c>Personalization:Tracking:BacklogWarning</c>, naming
    /// which in its description; never Unhealthy, since pages are still served. Call
    /// <c>AddServerSidePersonalization()</c> as well.
    /// </summary>
    public static IHealthChecksBuilder AddPersonalization(this IHealthChecksBuilder builder, string name = DefaultName, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.TryAddSingleton<PersonalizationState>();

        // A check that throws is reported with this status too: a broken check must not take the site out of rotation.
        return builder.AddCheck<PersonalizationHealthCheck>(name, HealthStatus.Degraded, tags ?? []);
    }
}
