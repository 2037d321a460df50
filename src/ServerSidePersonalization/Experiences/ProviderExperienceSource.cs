using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ServerSidePersonalization.Diagnostics;

namespace ServerSidePersonalization.Experiences;

/// <summary>
/// Calls one provider through a Polly pipeline (a circuit breaker around the attempt timeout), turning anything it
/// throws into failed keys. While the breaker is open the provider is not called at all: the keys fail at once and the
/// cache serves stale entries or the page its fallback. The outage is logged when the breaker opens and when it closes,
/// and each fetch is a span and a duration measured on the app's clock.
/// </summary>
internal sealed class ProviderExperienceSource : IExperienceSource
{
    private readonly IExperienceProvider _provider;
    private readonly ResiliencePipeline<ExperienceFetchResult> _pipeline;
    private readonly PersonalizationMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<ProviderExperienceSource> _logger;

    public ProviderExperienceSource(
        SelectedProvider selected,
        IOptions<PersonalizationOptions> options,
        TimeProvider time,
        PersonalizationMetrics metrics,
        ILogger<ProviderExperienceSource> logger)
    {
        _provider = selected.Provider;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        metrics.ProviderBreaker(_provider.Name, open: false);
        var breaker = options.Value.ProviderBreaker;
        var builder = new ResiliencePipelineBuilder<ExperienceFetchResult> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<ExperienceFetchResult>
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: OperationCanceledException } => false,
                    { Exception: not null } => true,
                    { Result: { } result } => result.FailedAll,
                    _ => false,
                }),
                OnOpened = args =>
                {
                    var problem = args.Outcome.Exception is TimeoutRejectedException ? "timed out"
                        : args.Outcome.Exception?.GetType().Name ?? "failed every key";
                    _metrics.ProviderBreaker(_provider.Name, open: true);
                    Log.ProviderBreakerOpened(_logger, _provider.Name, problem, args.BreakDuration.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    _metrics.ProviderBreaker(_provider.Name, open: false);
                    Log.ProviderBreakerClosed(_logger, _provider.Name);
                    return ValueTask.CompletedTask;
                },
            });
        if (selected.AttemptTimeout is { } attemptTimeout)
        {
            builder.AddTimeout(attemptTimeout);
        }

        _pipeline = builder.Build();
    }

    public async Task<ExperienceFetchResult> GetAsync(ExperienceRequest request, CancellationToken cancellationToken)
    {
        using var activity = PersonalizationActivities.StartProviderFetch(_provider.Name, request.Keys);
        var started = _time.GetTimestamp();
        ExperienceFetchResult result;
        string outcome;
        try
        {
            result = await _pipeline.ExecuteAsync(
                static async ((IExperienceProvider Provider, ExperienceRequest Request) state, CancellationToken token) =>
                    await state.Provider.FetchAsync(state.Request, token).ConfigureAwait(false),
                (Provider: _provider, Request: request),
                cancellationToken).ConfigureAwait(false);
            outcome = result.FailedKeys.Count == 0 ? "success" : result.FailedAll ? "failure" : "partial";
            if (result.FailedKeys.Count > 0)
            {
                _metrics.ProviderFailed(_provider.Name, "failed_keys");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            PersonalizationActivities.Outcome(activity, "cancelled");
            throw;
        }
        catch (BrokenCircuitException)
        {
            _metrics.ProviderSkipped(_provider.Name);
            PersonalizationActivities.Outcome(activity, "skipped", failed: true);
            return ExperienceFetchResult.Failed(request.Keys);
        }
        catch (TimeoutRejectedException)
        {
            Log.ProviderTimedOut(_logger, _provider.Name);
            _metrics.ProviderFailed(_provider.Name, outcome = "timeout");
            result = ExperienceFetchResult.Failed(request.Keys);
        }
        catch (Exception ex)
        {
            Log.ProviderThrew(_logger, _provider.Name, ex);
            _metrics.ProviderFailed(_provider.Name, outcome = "error");
            result = ExperienceFetchResult.Failed(request.Keys);
        }

        _metrics.ProviderFetched(_provider.Name, outcome, _time.GetElapsedTime(started));
        PersonalizationActivities.Outcome(activity, outcome, failed: outcome != "success");
        return result;
    }
}
