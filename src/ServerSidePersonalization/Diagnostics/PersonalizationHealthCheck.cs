using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.Diagnostics;

/// <summary>
/// Degraded while a provider's circuit breaker is open, L2 is unreachable, a destination is paused for refused
/// credentials or its backlog is above <see cref="Tracking.TrackingOptions.BacklogWarning"/>; the description names
/// each. Never Unhealthy: pages are still served (stale entries or fallbacks, events kept or counted).
/// </summary>
internal sealed class PersonalizationHealthCheck(PersonalizationState state, IOptions<PersonalizationOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (provider, open) in state.ProviderBreakers.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            data[$"provider:{provider}"] = open ? "breaker open" : "ok";
            if (open)
            {
                problems.Add($"provider {provider}: circuit breaker open, pages serve stale entries or fallbacks");
            }
        }

        if (state.HasL2)
        {
            data["l2"] = state.L2Unreachable ? "unreachable" : "ok";
            if (state.L2Unreachable)
            {
                problems.Add("L2 cache unreachable, pages use L1 and the provider");
            }
        }

        var warning = options.Value.Tracking.EffectiveBacklogWarning;
        foreach (var queue in state.Queues)
        {
            var name = queue.Destination.Name;
            var backlog = queue.Count;
            data[$"destination:{name}:backlog"] = backlog;
            if (state.IsPaused(name))
            {
                problems.Add($"destination {name}: paused, credentials refused");
            }

            if (backlog > warning)
            {
                problems.Add($"destination {name}: backlog {backlog} events, above {warning}");
            }
        }

        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy("Personalization is working.", data)
            : HealthCheckResult.Degraded(string.Join("; ", problems) + ".", data: data));
    }
}
