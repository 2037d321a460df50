using Microsoft.Extensions.DependencyInjection;

namespace ServerSidePersonalization.AspNetCore;

internal sealed class PersonalizationBuilder(IServiceCollection services) : IPersonalizationBuilder
{
    public IServiceCollection Services => services;
}
