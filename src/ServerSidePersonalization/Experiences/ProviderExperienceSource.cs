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
/// cache serves stale entries or the page its fallback. The outage is logged when the breaker opens and when it closes.
/// </summary>
internal sealed class ProviderExperienceSource : IExperienceSource
{
    private readonly IExperienceProvider _provider;
    private readonly ResiliencePipeline<ExperienceFetchResult> _pipeline;
    private readonly PersonalizationMetrics _metrics;
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
        _logger = logger;
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
                    Log.ProviderBreakerOpened(_logger, _provider.Name, problem, args.BreakDuration.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
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
        try
        {
            return await _pipeline.ExecuteAsync(
                static async ((IExperienceProvider Provider, ExperienceRequest Request) state, CancellationToken token) =>
                    await state.Provider.FetchAsync(state.Request, token).ConfigureAwait(false),
                (Provider: _provider, Request: request),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (BrokenCircuitException)
        {
            _metrics.ProviderSkipped(_provider.Name);
            return ExperienceFetchResult.Failed(request.Keys);
        }
        catch (TimeoutRejectedException)
        {
            Log.ProviderTimedOut(_logger, _provider.Name);
            return ExperienceFetchResult.Failed(request.Keys);
        }
        catch (Exception ex)
        {
            Log.ProviderThrew(_logger, _provider.Name, ex);
            return ExperienceFetchResult.Failed(request.Keys);
        }
    }
}
