using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.Diagnostics;

/// <summary>
/// Degraded while a provider's circuit breaker is open, L2 is unreachable, a destination is paused for refused
/// credentials or its backlog (in memory, plus the durable outbox's) is above
/// <see cref="Tracking.TrackingOptions.BacklogWarning"/>; the description names each. Never Unhealthy: pages are still
/// served (stale entries or fallbacks, events kept or counted). The outbox's backlog is a cached reading, waited for at
/// most <see cref="Tracking.OutboxBacklog.Timeout"/>, and "unknown" while Redis does not answer.
/// </summary>
internal sealed class PersonalizationHealthCheck(PersonalizationState state, IOptions<PersonalizationOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
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
        var queues = state.Queues;
        var outbox = state.Outbox;
        var stored = outbox is null
            ? null
            : await Task.WhenAll(queues.Select(q => outbox.ReadAsync(q.Destination.Name, cancellationToken))).ConfigureAwait(false);
        for (var i = 0; i < queues.Count; i++)
        {
            var name = queues[i].Destination.Name;
            var inMemory = queues[i].Count;

            // Unknown while the outbox cannot be read (Redis down: said above); the memory part is still checked. An
            // outbox holds at most QueueCapacity events (an int), so the sum stays an int as it was before durability.
            int? backlog = stored is null ? inMemory : stored[i] is { } inOutbox ? (int)Math.Min(inMemory + inOutbox, int.MaxValue) : null;
            data[$"destination:{name}:backlog"] = backlog is { } known ? known : "unknown";
            if (state.IsPaused(name))
            {
                problems.Add($"destination {name}: paused, credentials refused");
            }

            if ((backlog ?? inMemory) > warning)
            {
                problems.Add($"destination {name}: backlog {backlog ?? inMemory} events, above {warning}");
            }
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy("Personalization is working.", data)
            : HealthCheckResult.Degraded(string.Join("; ", problems) + ".", data: data);
    }
}
