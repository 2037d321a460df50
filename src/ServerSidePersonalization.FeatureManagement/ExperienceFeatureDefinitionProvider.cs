using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.FeatureManagement;
using ServerSidePersonalization.AspNetCore;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.FeatureManagement;

/// <summary>
/// Features defined by the site (its configuration, through <paramref name="inner"/>) come first; any other name is the
/// experience of that key for the request's visitor: enabled when the visitor has it, with one variant, the visitor's
/// variation, whose configuration is the payload. Outside a request there are no experience features.
/// </summary>
internal sealed class ExperienceFeatureDefinitionProvider(IFeatureDefinitionProvider? inner, IHttpContextAccessor accessor) : IFeatureDefinitionProvider
{
    private const string AlwaysOn = "AlwaysOn";
    private const string VariantSection = "Variant";

    // Experiences are immutable and shared by the cache between requests, and so are their definitions.
    private static readonly ConditionalWeakTable<Experience, FeatureDefinition> Definitions = [];

    public async Task<FeatureDefinition?> GetFeatureDefinitionAsync(string featureName)
    {
        if (inner is not null && await inner.GetFeatureDefinitionAsync(featureName).ConfigureAwait(false) is { } defined)
        {
            return defined;
        }

        if (accessor.HttpContext is not { } context || context.Features.Get<IPersonalizationFeature>() is not { } personalization)
        {
            return null;
        }

        Experience? experience;
        try
        {
            experience = await personalization.GetExperienceAsync(featureName, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            // Not a name an experience key can have: no such feature.
            return null;
        }

        if (experience is null)
        {
            return new FeatureDefinition { Name = featureName, Status = FeatureStatus.Disabled };
        }

        ExperienceFeatures.Add(context, featureName, experience);
        return Definitions.GetValue(experience, Define);
    }

    public IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync() =>
        inner?.GetAllFeatureDefinitionsAsync() ?? AsyncEnumerable.Empty<FeatureDefinition>();

    private static FeatureDefinition Define(Experience experience)
    {
        var variation = experience.Attribution.VariationId;
        return new FeatureDefinition
        {
            Name = experience.Key,
            EnabledFor = [new FeatureFilterConfiguration { Name = AlwaysOn }],
            Variants = variation is null ? [] : [new VariantDefinition { Name = variation, ConfigurationValue = Configuration(experience) }],
            Allocation = variation is null ? null : new Allocation { DefaultWhenEnabled = variation },
        };
    }

    /// <summary>The payload as configuration: <c>variant.Configuration["Title"]</c>, nested objects as sections.</summary>
    private static IConfigurationSection Configuration(Experience experience)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(VariantSection);
            foreach (var (field, value) in experience.Payload)
            {
                writer.WritePropertyName(field);
                value.Value.WriteTo(writer);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        using var stream = new MemoryStream(json.WrittenMemory.ToArray());
        return new ConfigurationBuilder().AddJsonStream(stream).Build().GetSection(VariantSection);
    }
}
