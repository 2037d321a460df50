using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.Redis;

internal static partial class Log
{
    [LoggerMessage(EventId = 7001, EventName = "RedisNotConnectedAtStart", Level = LogLevel.Warning,
        Message = "Redis (L2) is not reachable at start-up; the cache works from memory until it is, and reconnects by itself.")]
    public static partial void NotConnectedAtStart(ILogger logger);

    [LoggerMessage(EventId = 7002, EventName = "DataProtectionKeysInRedis", Level = LogLevel.Information,
        Message = "The Data Protection key ring is kept in Redis under '{Key}', shared by every instance.")]
    public static partial void KeyRingInRedis(ILogger logger, string key);
}
