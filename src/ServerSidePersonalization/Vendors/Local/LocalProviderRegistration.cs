using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ServerSidePersonalization.Vendors.Local;

internal static class LocalProviderRegistration
{
    /// <summary>The Local provider answers from memory; the budget only guards against a pathological file.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    public static void AddLocalProvider(this IServiceCollection services)
    {
        services.TryAddSingleton<LocalExperienceStore>();
        services.TryAddSingleton<LocalExperienceProvider>();
    }
}
