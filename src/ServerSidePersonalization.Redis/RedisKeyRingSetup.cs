using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.Redis;

/// <summary>
/// Puts the Data Protection key ring in Redis, so what one instance protects (click tokens, antiforgery, cookies) the
/// others can read. A post-configure step, so it sees every repository the app configured (PersistKeysTo...) whatever
/// the order of the calls, and leaves those alone.
/// </summary>
internal sealed class RedisKeyRingSetup(RedisConnection connection, IOptions<PersonalizationRedisOptions> options, ILogger<RedisKeyRingSetup> logger)
    : IPostConfigureOptions<KeyManagementOptions>
{
    public void PostConfigure(string? name, KeyManagementOptions keyManagement)
    {
        if (keyManagement.XmlRepository is not null || !options.Value.PersistDataProtectionKeys || !connection.IsConfigured)
        {
            return;
        }

        var key = options.Value.DataProtectionKey;
        keyManagement.XmlRepository = new RedisXmlRepository(() => connection.Get().GetDatabase(), key);
        Log.KeyRingInRedis(logger, key);
    }
}
