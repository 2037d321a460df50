using Microsoft.Extensions.DependencyInjection;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>Returned by <c>AddServerSidePersonalization</c>; optional parts (such as the Redis cache) hang off it.</summary>
public interface IPersonalizationBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}
