using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerSidePersonalization;
using ServerSidePersonalization.AspNetCore;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Redis;
using ServerSidePersonalization.Tracking;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds Redis as the L2 level of the experience cache, as the home of the Data Protection key ring, and as the durable
/// tracking outbox (when <c>Personalization:Tracking:Durable</c> is true).
/// </summary>
public static class PersonalizationRedisBuilderExtensions
{
    /// <summary>
    /// Uses Redis when <c>Personalization:Cache:Redis</c> holds a connection string (or an
    /// <c>IConnectionMultiplexer</c> is registered); without either the cache stays in memory, so the same code runs
    /// with and without Redis.
    /// </summary>
    public static IPersonalizationBuilder AddRedis(this IPersonalizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(RedisConnection)))
        {
            return builder;
        }

        services.AddOptions<PersonalizationRedisOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<RedisConnection>();

        // The connection string is only known once the options are bound: the factory answers null without one, and
        // the cache then has no L2 at all (not an L2 that always fails).
        services.TryAddSingleton(new L2StoreFactory(sp =>
            sp.GetRequiredService<RedisConnection>() is { IsConfigured: true } connection ? new RedisL2Store(connection) : null));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<KeyManagementOptions>, RedisKeyRingSetup>());
        services.TryAddSingleton(new TrackingOutboxFactory(RedisConnection.IsConfiguredFor, sp => ActivatorUtilities.CreateInstance<RedisTrackingOutbox>(sp)));
        return builder;
    }

    /// <summary>Uses Redis as <paramref name="configure"/> says, after configuration.</summary>
    public static IPersonalizationBuilder AddRedis(this IPersonalizationBuilder builder, Action<PersonalizationRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder.AddRedis();
    }

    /// <summary>Uses Redis as <paramref name="configuration"/> says (a section shaped like <see cref="PersonalizationRedisOptions"/>).</summary>
    public static IPersonalizationBuilder AddRedis(this IPersonalizationBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.Configure<PersonalizationRedisOptions>(configuration);
        return builder.AddRedis();
    }

    /// <summary>Uses Redis at <paramref name="connectionString"/> (StackExchange.Redis syntax).</summary>
    public static IPersonalizationBuilder AddRedis(this IPersonalizationBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.Services.Configure<PersonalizationOptions>(options => options.Cache.Redis = connectionString);
        return builder.AddRedis();
    }
}
