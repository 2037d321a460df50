using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.FeatureManagement.FeatureFilters;
using ServerSidePersonalization.FeatureManagement;

namespace Microsoft.FeatureManagement;

/// <summary>Exposes the visitor's experiences as Feature Management features with variants.</summary>
public static class PersonalizationFeatureManagementBuilderExtensions
{
    /// <summary>
    /// Makes every experience key a feature: enabled when the visitor has the experience, with the visitor's variation as
    /// its only variant (name: the variation id; configuration: the payload). Features the site defines itself (in
    /// configuration) keep their definitions. Unless a targeting context accessor is already registered, the visitor's
    /// personalization id becomes Feature Management's targeting user. Only a <c>&lt;feature&gt;</c> block that renders
    /// records an impression; asking <c>GetVariantAsync</c> or <c>IsEnabledAsync</c> in code records none.
    /// </summary>
    public static IFeatureManagementBuilder AddPersonalizationVariants(this IFeatureManagementBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(ExperienceFeatureDefinitionProvider)))
        {
            return builder;
        }

        services.AddHttpContextAccessor();
        services.TryAddSingleton<ITargetingContextAccessor, VisitorTargetingContextAccessor>();

        // The site's own definitions (configuration, or a provider it registered) are asked first.
        var site = services.LastOrDefault(d => d.ServiceType == typeof(IFeatureDefinitionProvider));
        if (site is not null)
        {
            services.Remove(site);
        }

        services.AddSingleton(sp => new ExperienceFeatureDefinitionProvider(
            site is null ? null : (IFeatureDefinitionProvider)Create(sp, site), sp.GetRequiredService<IHttpContextAccessor>()));
        services.AddSingleton<IFeatureDefinitionProvider>(sp => sp.GetRequiredService<ExperienceFeatureDefinitionProvider>());
        return builder;
    }

    private static object Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
}
