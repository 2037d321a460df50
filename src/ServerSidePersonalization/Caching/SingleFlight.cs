using System.Collections.Concurrent;

namespace ServerSidePersonalization.Caching;

/// <summary>
/// Runs one load per key at a time in this process: callers that arrive while a load is running share its task.
/// The load runs detached from every caller, so a caller that gives up or is cancelled does not cancel it.
/// </summary>
internal sealed class SingleFlight<TResult>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TResult>>> _flights = new(StringComparer.Ordinal);

    public Task<TResult> RunAsync<TState>(string key, TState state, Func<TState, Task<TResult>> load)
    {
        var flight = _flights.GetOrAdd(key, static (_, args) => new Lazy<Task<TResult>>(
            () => args.Owner.StartAsync(args.Key, args.State, args.Load)),
            (Owner: this, Key: key, State: state, Load: load));
        return flight.Value;
    }

    private async Task<TResult> StartAsync<TState>(string key, TState state, Func<TState, Task<TResult>> load)
    {
        // Yield first so the load never runs on the caller's stack while the dictionary entry is being created.
        await Task.Yield();
        try
        {
            return await load(state).ConfigureAwait(false);
        }
        finally
        {
            _flights.TryRemove(key, out _);
        }
    }
}
