using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// The configuration section <c>AddServerSidePersonalization</c> was given, registered once so that vendor modules
/// bind their sub-sections from the same place; null means the app's <c>Personalization</c> section.
/// </summary>
internal sealed record PersonalizationConfiguration(IConfiguration? Section)
{
    /// <summary>The root as registered, or the app's <c>Personalization</c> section before <c>AddServerSidePersonalization</c>.</summary>
    public static PersonalizationConfiguration Find(IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(PersonalizationConfiguration))?.ImplementationInstance as PersonalizationConfiguration
        ?? new PersonalizationConfiguration(Section: null);

    /// <summary>Binds <paramref name="options"/> from the sub-section <paramref name="path"/> (such as <c>MoEngage</c>).</summary>
    public void Bind<TOptions>(OptionsBuilder<TOptions> options, string path)
        where TOptions : class
    {
        _ = Section is null
            ? options.BindConfiguration(PersonalizationOptions.SectionName + ConfigurationPath.KeyDelimiter + path)
            : options.Bind(Section.GetSection(path));
    }
}
