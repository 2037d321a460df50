using System.ComponentModel.DataAnnotations;

namespace ServerSidePersonalization.Redis;

/// <summary>Settings of the Redis package: where Redis is, and whether it keeps the Data Protection key ring.</summary>
public sealed class PersonalizationRedisOptions
{
    /// <summary>
    /// A StackExchange.Redis connection string. Default null: <c>Personalization:Cache:Redis</c> is used; with both
    /// empty and no <c>IConnectionMultiplexer</c> registered, nothing uses Redis.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// Keep the Data Protection key ring in Redis, so click tokens minted on one instance verify on every other one.
    /// Default true; ignored when the app configured its own key repository.
    /// </summary>
    public bool PersistDataProtectionKeys { get; set; } = true;

    /// <summary>The Redis list holding the key ring. Default <c>DataProtection-Keys</c> (ASP.NET Core's own default).</summary>
    [Required]
    [MinLength(1)]
    public string DataProtectionKey { get; set; } = "DataProtection-Keys";
}
