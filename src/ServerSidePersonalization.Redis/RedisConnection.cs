using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ServerSidePersonalization.Redis;

/// <summary>
/// The one multiplexer this package uses: the app's own when an <see cref="IConnectionMultiplexer"/> is registered (it
/// stays the app's to dispose), else one connected from the connection string with <c>abortConnect=false</c>, so it
/// connects in the background, reconnects by itself, and is disposed with the container. Neither: not configured.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Task<IConnectionMultiplexer>? _connection;
    private readonly bool _owned;

    public RedisConnection(
        IServiceProvider services,
        IOptions<PersonalizationRedisOptions> redis,
        IOptions<PersonalizationOptions> personalization,
        ILogger<RedisConnection> logger)
    {
        if (services.GetService<IConnectionMultiplexer>() is { } existing)
        {
            _connection = Task.FromResult(existing);
            return;
        }

        var connectionString = ConnectionString(redis.Value, personalization.Value);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return;
        }

        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        _owned = true;
        _connection = ConnectAsync(options, logger);
    }

    public bool IsConfigured => _connection is not null;

    /// <summary>
    /// Whether Redis will be used, from the bound options alone (for start-up validation of the options themselves,
    /// which must not build the connection).
    /// </summary>
    public static bool IsConfiguredFor(IServiceProvider services, PersonalizationOptions personalization) =>
        services.GetService<IConnectionMultiplexer>() is not null
        || !string.IsNullOrWhiteSpace(ConnectionString(services.GetRequiredService<IOptions<PersonalizationRedisOptions>>().Value, personalization));

    public Task<IConnectionMultiplexer> GetAsync() =>
        _connection ?? throw new InvalidOperationException("Redis is not configured.");

    /// <summary>For synchronous callers (Data Protection's key repository); the connection is usually made already.</summary>
    public IConnectionMultiplexer Get() => GetAsync().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_owned && _connection is { IsCompletedSuccessfully: true } connection)
        {
            await connection.Result.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await connection.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string? ConnectionString(PersonalizationRedisOptions redis, PersonalizationOptions personalization) =>
        redis.Configuration is { Length: > 0 } configured ? configured : personalization.Cache.Redis;

    private static async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions options, ILogger logger)
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        if (!multiplexer.IsConnected)
        {
            Log.NotConnectedAtStart(logger);
        }

        return multiplexer;
    }
}
