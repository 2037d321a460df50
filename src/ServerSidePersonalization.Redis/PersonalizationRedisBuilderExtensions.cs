using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerSidePersonalization;
using ServerSidePersonalization.AspNetCore;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Redis as the L2 level of the experience cache.</summary>
public static class PersonalizationRedisBuilderExtensions
{
    /// <summary>
    /// Uses Redis for L2 when <c>Personalization:Cache:Redis</c> holds a connection string; without one the cache stays
    /// in memory, so the same code runs with and without Redis.
    /// </summary>
    public static IPersonalizationBuilder AddRedis(this IPersonalizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // A factory that answers null leaves the cache without L2: the connection string is only known once the
        // options are bound.
        builder.Services.TryAddSingleton<IL2Store>(sp =>
            sp.GetRequiredService<IOptions<PersonalizationOptions>>().Value.Cache.Redis is { Length: > 0 } connection
                ? new RedisL2Store(connection, sp.GetRequiredService<ILogger<RedisL2Store>>())
                : null!);
        return builder;
    }

    /// <summary>Uses Redis at <paramref name="connectionString"/> (StackExchange.Redis syntax) for L2.</summary>
    public static IPersonalizationBuilder AddRedis(this IPersonalizationBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.Services.Configure<PersonalizationOptions>(options => options.Cache.Redis = connectionString);
        return builder.AddRedis();
    }
}
