using ServerSidePersonalization.AspNetCore;
using ServerSidePersonalization.Experiences;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds an application's own experience provider, chosen like a vendor's by <c>Personalization:Provider</c>.</summary>
public static class ExperienceProviderPersonalizationBuilderExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TProvider"/> (resolved from the container) under <paramref name="name"/>, used when
    /// <c>Personalization:Provider</c> names it; a page waits at most <paramref name="budget"/> for one of its fetches.
    /// </summary>
    public static IPersonalizationBuilder AddExperienceProvider<TProvider>(this IPersonalizationBuilder builder, string name, TimeSpan budget)
        where TProvider : class, IExperienceProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(budget, TimeSpan.Zero);
        PersonalizationModuleExtensions.AddExperienceProvider<TProvider>(builder, name, _ => budget);
        return builder;
    }
}
